namespace Maran.Instrument.Dashboard;

/// <summary>One page of the recent traces, newest first; <see cref="Message"/> says why there are none when collection is off.</summary>
internal sealed record TracesView(bool Enabled, string? Message, int Total, int Page, int Size, int Capacity, IReadOnlyList<TraceSummary> Rows);
