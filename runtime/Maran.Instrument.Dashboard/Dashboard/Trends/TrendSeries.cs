namespace Maran.Instrument.Dashboard;

/// <summary>
/// Every operation's trend together, one point per interval, oldest first; null where no call was timed, and, read
/// from Prometheus, where a step has no sample.
/// </summary>
internal sealed class TrendSeries(int capacity, int count)
{
    /// <summary>Points kept at most; the browser keeps no more.</summary>
    public int Capacity { get; } = capacity;

    /// <summary>End of each interval, in Unix milliseconds.</summary>
    public long[] Times { get; } = new long[count];

    public double?[] CallsPerSecond { get; } = new double?[count];

    public double?[] ErrorsPerSecond { get; } = new double?[count];

    public long?[] InFlight { get; } = new long?[count];

    public double?[] P50Ms { get; } = new double?[count];

    public double?[] P95Ms { get; } = new double?[count];

    public double?[] P99Ms { get; } = new double?[count];
}
