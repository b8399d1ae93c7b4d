namespace Maran.Instrument.Dashboard;

/// <summary>One ended span as the waterfall shows it; tag and event values are cut to a bounded length.</summary>
internal sealed record SpanRecord(
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Source,
    string Kind,
    DateTimeOffset Start,
    double DurationMs,
    string Status,
    string? StatusDescription,
    KeyValuePair<string, string>[] Tags,
    SpanEventRecord[] Events);
