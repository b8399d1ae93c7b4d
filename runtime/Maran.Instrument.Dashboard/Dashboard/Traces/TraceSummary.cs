namespace Maran.Instrument.Dashboard;

/// <summary>A row of the trace list: the root span's name, when the trace began, how long it ran and how many spans it has.</summary>
internal sealed record TraceSummary(
    string TraceId,
    string Root,
    string? Component,
    DateTimeOffset Start,
    double DurationMs,
    int Spans,
    int Errors);
