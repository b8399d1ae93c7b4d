using System.Runtime.CompilerServices;

namespace Maran.Instrument.Benchmarks.Workloads;

/// <summary>
/// The workloads as plain methods: the baseline, and what every peer wraps. <see cref="Monitored"/> holds the
/// same methods, line for line, with <see cref="MonitorOperationAttribute"/> on them. None is inlined, so each
/// benchmark pays for one real call, as a caller of a method in another class usually does.
/// </summary>
public static class Bare
{
    /// <summary>Does nothing.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Empty()
    {
    }

    /// <summary>About 250 ns of arithmetic.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Cpu250ns(ulong seed) => Spin.Run(seed, Spin.Rounds250ns);

    /// <summary>About 2 µs of arithmetic.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Cpu2us(ulong seed) => Spin.Run(seed, Spin.Rounds2us);

    /// <summary>About 100 µs of arithmetic.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Cpu100us(ulong seed) => Spin.Run(seed, Spin.Rounds100us);

    /// <summary>An async method that completes synchronously (it would yield only for a negative value).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static async Task<int> TaskCompleted(int value)
    {
        if (value < 0)
        {
            await Task.Yield();
        }

        return value + 1;
    }

    /// <summary>An async method that really yields to the thread pool once.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static async Task<int> TaskYielding(int value)
    {
        await Task.Yield();
        return value + 1;
    }

    /// <summary>A <see cref="ValueTask{TResult}"/> method that completes synchronously.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static async ValueTask<int> ValueTaskCompleted(int value)
    {
        if (value < 0)
        {
            await Task.Yield();
        }

        return value + 1;
    }

    /// <summary>A stream of <paramref name="count"/> items, each available at once.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static async IAsyncEnumerable<int> Stream(int count)
    {
        if (count < 0)
        {
            await Task.Yield();
        }

        for (int i = 0; i < count; i++)
        {
            yield return i;
        }
    }

    /// <summary>Throws a new <see cref="InvalidOperationException"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Failure() => throw new InvalidOperationException("the workload failed");

    /// <summary>Does nothing; called from two threads at once.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Contended()
    {
    }
}
