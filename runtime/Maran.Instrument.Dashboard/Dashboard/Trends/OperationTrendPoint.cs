namespace Maran.Instrument.Dashboard;

/// <summary>The newest interval of one operation.</summary>
internal sealed record OperationTrendPoint(
    long Sequence,
    long Time,
    double CallsPerSecond,
    double ErrorsPerSecond,
    double? P95Ms,
    double? MeanMs);
