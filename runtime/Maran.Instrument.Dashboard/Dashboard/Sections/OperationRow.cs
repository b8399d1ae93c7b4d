using Maran.Instrument.Profiling;

namespace Maran.Instrument.Dashboard;

/// <summary>One operation as the performance table shows it; <see cref="Id"/> selects it in later requests.</summary>
internal sealed record OperationRow(
    int Id,
    string Name,
    string Component,
    string Kind,
    string? Method,
    long Count,
    long Errors,
    long Cancelled,
    long InFlight,
    double ErrorRate,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    double MeanMs,
    double MaxMs,
    double TotalMs,
    double CallsPerSecond,
    double? AllocatedBytesPerCall,
    bool IsSampled,
    IReadOnlyList<CountView> ErrorTypes)
{
    /// <summary>The row of an operation's summary; its id comes from the registry.</summary>
    public static OperationRow From(int id, OperationSummary s) => new(
        id,
        s.Name,
        s.Component,
        s.Kind.Label(),
        s.Method,
        s.Count,
        s.Errors,
        s.Cancelled,
        s.InFlight,
        s.ErrorRate,
        s.P50Ms,
        s.P95Ms,
        s.P99Ms,
        s.MeanMs,
        s.MaxMs,
        s.TotalMs,
        s.CallsPerSecond,
        s.AllocatedBytesPerCall,
        s.IsSampled,
        [.. s.ErrorTypes.OrderByDescending(static e => e.Value).Take(3).Select(static e => new CountView(e.Key, e.Value))]);
}
