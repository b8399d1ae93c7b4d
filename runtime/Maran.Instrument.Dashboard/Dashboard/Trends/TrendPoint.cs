namespace Maran.Instrument.Dashboard;

/// <summary>The newest interval of every operation together: what a live client appends to its charts.</summary>
internal sealed record TrendPoint(
    long Sequence,
    long Time,
    double CallsPerSecond,
    double ErrorsPerSecond,
    long InFlight,
    double? P50Ms,
    double? P95Ms,
    double? P99Ms);
