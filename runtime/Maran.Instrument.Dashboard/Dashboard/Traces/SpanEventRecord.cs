namespace Maran.Instrument.Dashboard;

/// <summary>An event of a span (an exception, for example), <paramref name="OffsetMs"/> after the span began.</summary>
internal sealed record SpanEventRecord(string Name, double OffsetMs, KeyValuePair<string, string>[] Tags);
