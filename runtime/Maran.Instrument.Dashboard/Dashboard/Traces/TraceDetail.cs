namespace Maran.Instrument.Dashboard;

/// <summary>Every kept span of one trace, earliest first, and how many more were not kept.</summary>
internal sealed record TraceDetail(string TraceId, IReadOnlyList<SpanRecord> Spans, int Truncated);
