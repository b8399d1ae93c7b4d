namespace Maran.Instrument.Dashboard;

/// <summary>
/// One operation's trend, aligned with <see cref="TrendSeries"/>; null before it kept a trend or where no call was timed.
/// Empty, with <see cref="Tracked"/> false, for an operation that keeps none.
/// </summary>
internal sealed class OperationTrendSeries(int id, int capacity, int count, bool tracked = true)
{
    public int Id { get; } = id;

    /// <summary>Whether the operation keeps a trend of its own (the busiest <c>dashboard.trend_operations</c> do).</summary>
    public bool Tracked { get; } = tracked;

    public int Capacity { get; } = capacity;

    public long[] Times { get; } = new long[count];

    public double?[] CallsPerSecond { get; } = new double?[count];

    public double?[] ErrorsPerSecond { get; } = new double?[count];

    public double?[] P95Ms { get; } = new double?[count];

    public double?[] MeanMs { get; } = new double?[count];
}
