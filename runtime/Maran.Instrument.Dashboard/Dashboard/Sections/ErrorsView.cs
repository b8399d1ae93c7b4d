namespace Maran.Instrument.Dashboard;

/// <summary>
/// The errors section: the errors of a window of whole clock hours by category, type, component and severity, one
/// point per hour, the operations that fail most, one page of the error groups, and the selected group with its
/// latest occurrences. <see cref="Message"/> says why nothing new is tracked when the tracker is off or stopped.
/// </summary>
internal sealed record ErrorsView(
    bool Enabled,
    bool Running,
    string? Message,
    int Hours,
    DateTimeOffset From,
    long Total,
    DistributionView ByCategory,
    DistributionView ByType,
    DistributionView ByComponent,
    DistributionView BySeverity,
    HourlyCountsView Trend,
    IReadOnlyList<ErrorRateView> Rates,
    ErrorGroupsView Groups,
    ErrorGroupDetailView? Selected);

/// <summary>The largest parts of a total, and what the parts left out add up to.</summary>
internal sealed record DistributionView(IReadOnlyList<CountView> Top, int Omitted, long OmittedCount);

/// <summary>Counts per clock hour: the start of each hour (Unix milliseconds) and its count, oldest first.</summary>
internal sealed record HourlyCountsView(IReadOnlyList<long> Times, IReadOnlyList<long> Counts);

/// <summary>How often one monitored operation failed in the window; <see cref="Rate"/> is null when no call was counted.</summary>
internal sealed record ErrorRateView(string Component, string Operation, long Errors, long Calls, double? Rate);

/// <summary>One page of the error groups, matching the filter and status, in the order asked for.</summary>
internal sealed record ErrorGroupsView(int Total, int Kept, int Page, int Size, string Sort, bool Descending, string Filter, string? Status, IReadOnlyList<ErrorGroupRowView> Rows);

/// <summary>
/// A group as the page lists it: its type, title (the normalised message), where it first happened, when it was
/// first and last seen, its occurrences ever and in the window, and its status (new, ongoing, regressed, resolved).
/// </summary>
internal sealed record ErrorGroupRowView(
    string Fingerprint,
    string Type,
    string Title,
    string Category,
    string Component,
    string? Operation,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    long Count,
    long CountInWindow,
    string Status,
    string LastMessage);

/// <summary>The selected group and its latest occurrences, newest first; <see cref="Found"/> is false when no such group is kept.</summary>
internal sealed record ErrorGroupDetailView(string Fingerprint, bool Found, ErrorGroupRowView? Group, IReadOnlyList<ErrorOccurrenceView> Occurrences);

/// <summary>
/// One occurrence: its message, stack trace and inner exceptions (cut to a bounded length, <see cref="Cut"/> says
/// so), the context tags it carried, and the trace and span it happened in.
/// </summary>
internal sealed record ErrorOccurrenceView(
    long Time,
    string Type,
    string Message,
    string Severity,
    string Category,
    string Component,
    string? Operation,
    string? TraceId,
    string? SpanId,
    double? DurationMs,
    string? StackTrace,
    IReadOnlyList<InnerErrorView> Inner,
    IReadOnlyList<LabelView> Context,
    bool Cut);

/// <summary>An exception wrapped by an occurrence.</summary>
internal sealed record InnerErrorView(string Type, string Message, string? StackTrace);

/// <summary>The answer to resolving a group from the page.</summary>
internal sealed record GroupResolved(string Fingerprint, bool Resolved);
