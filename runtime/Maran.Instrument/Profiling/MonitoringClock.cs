using System.Diagnostics;

namespace Maran.Instrument.Profiling;

/// <summary>Converts <see cref="Stopwatch"/> timestamps, which the hot path reads, into wall-clock values.</summary>
internal static class MonitoringClock
{
    private static readonly long s_originTimestamp = Stopwatch.GetTimestamp();
    private static readonly DateTimeOffset s_originTime = DateTimeOffset.UtcNow;

    /// <summary>Milliseconds in <paramref name="ticks"/> stopwatch ticks.</summary>
    internal static double ToMilliseconds(double ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>Seconds in <paramref name="ticks"/> stopwatch ticks.</summary>
    internal static double ToSeconds(double ticks) => ticks / Stopwatch.Frequency;

    /// <summary>The wall-clock time at which <see cref="Stopwatch.GetTimestamp"/> returned <paramref name="timestamp"/>.</summary>
    internal static DateTimeOffset ToDateTime(long timestamp) =>
        s_originTime + TimeSpan.FromSeconds((timestamp - s_originTimestamp) / (double)Stopwatch.Frequency);
}
