namespace Maran.Instrument.Dashboard;

/// <summary>
/// One page of log events, newest first, matching the filters; live (following the newest) while
/// <see cref="Before"/> is null. <see cref="Source"/> says whether the full log store or only the recent events in
/// memory were searched, and <see cref="Note"/> why when it matters.
/// </summary>
internal sealed record LogsView(
    string Source,
    string? Note,
    int Page,
    int Size,
    bool More,
    long? Before,
    LogFilterView Filter,
    IReadOnlyList<LogRowView> Rows,
    IReadOnlyList<string> Levels,
    IReadOnlyList<string> Components,
    IReadOnlyList<string> Operations);

/// <summary>The filters a page of logs was read with, as the server understood them.</summary>
internal sealed record LogFilterView(string? Level, string? Component, string? Operation, string? Trace, string Text);

/// <summary>
/// One log event as the page shows it; the message, exception and properties are cut to a bounded length
/// (<see cref="Cut"/> says so) and are shown as text, never parsed as markup.
/// </summary>
internal sealed record LogRowView(
    long Time,
    string Level,
    string Message,
    string? Exception,
    string? TraceId,
    string? SpanId,
    string? Operation,
    string? Component,
    string? Source,
    string Properties,
    bool Cut);
