using System.Reflection;

namespace Maran.Instrument.Benchmarks.Peers;

/// <summary>
/// The static logger callback MethodTimer.Fody calls after a <c>[Time]</c> method, written the way its README
/// shows: <c>Log(MethodBase, TimeSpan, string)</c>. This one keeps a thread-safe call count and total time, the
/// least a logger that feeds metrics must do.
/// </summary>
public static class MethodTimeLogger
{
    private static long s_calls;
    private static long s_ticks;
    private static MethodBase? s_last;

    /// <summary>Calls logged so far.</summary>
    public static long Calls => Interlocked.Read(ref s_calls);

    /// <summary>The method logged last.</summary>
    public static MethodBase? LastMethod => Volatile.Read(ref s_last);

    /// <summary>Logs one timed call of <paramref name="methodBase"/>.</summary>
    public static void Log(MethodBase methodBase, TimeSpan elapsed, string? message)
    {
        _ = message;
        s_last = methodBase;
        Interlocked.Increment(ref s_calls);
        Interlocked.Add(ref s_ticks, elapsed.Ticks);
    }
}
