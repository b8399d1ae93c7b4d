namespace Maran.Instrument.Dashboard;

/// <summary>One operation's trend, aligned with <see cref="TrendSeries"/>; null before it kept a trend or where no call was timed.</summary>
internal sealed class OperationTrendSeries(int id, int capacity, int count)
{
    public int Id { get; } = id;

    public int Capacity { get; } = capacity;

    public long[] Times { get; } = new long[count];

    public double?[] CallsPerSecond { get; } = new double?[count];

    public double?[] ErrorsPerSecond { get; } = new double?[count];

    public double?[] P95Ms { get; } = new double?[count];

    public double?[] MeanMs { get; } = new double?[count];
}
