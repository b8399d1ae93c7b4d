using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// What a client asks of a section: a page, a sort, a filter and a selected item; for the lists that grow while
/// they are read (logs, alert history) a level, component, operation and trace filter and a moment to page back from;
/// for errors and costs a window of hours. Every part is bounded, so no request makes the server build or send more
/// than one page.
/// </summary>
internal sealed record SectionQuery(int Page, int Size, string Sort, bool Descending, string Filter, string? Selected)
{
    /// <summary>Rows per page when none is asked for.</summary>
    public const int DefaultSize = 50;

    /// <summary>Rows per page at most.</summary>
    public const int MaxSize = 200;

    /// <summary>The longest window of hours errors and costs are summed over (30 days, the default retention).</summary>
    public const int MaxHours = 30 * 24;

    private const int MaxTextLength = 200;

    /// <summary>Logs: the least severe level shown; alerts: the severity shown. Null for all.</summary>
    public string? Level { get; init; }

    /// <summary>Only items of this component (logs).</summary>
    public string? Component { get; init; }

    /// <summary>Only items of this operation (logs).</summary>
    public string? Operation { get; init; }

    /// <summary>Only items of this trace id (logs).</summary>
    public string? Trace { get; init; }

    /// <summary>
    /// Only items at or before this moment (Unix milliseconds): a page of a list that keeps growing stays put while
    /// it is read. Null follows the newest items live.
    /// </summary>
    public long? Before { get; init; }

    /// <summary>Errors and costs: the clock hours summed over, the current one included (1 to <see cref="MaxHours"/>); null for the default day.</summary>
    public int? Hours { get; init; }

    /// <summary>The end of the millisecond <see cref="Before"/> names, so every item logged in it is included; null when live.</summary>
    public DateTimeOffset? BeforeMoment => Before is { } ms
        ? DateTimeOffset.FromUnixTimeMilliseconds(ms).AddTicks(TimeSpan.TicksPerMillisecond - 1)
        : null;

    /// <summary>A key that is equal for equal queries; rendered views are cached under it for one frame.</summary>
    public string Key => string.Create(
        CultureInfo.InvariantCulture,
        $"{Page}|{Size}|{Sort}|{Descending}|{Filter}|{Selected}|{Level}|{Component}|{Operation}|{Trace}|{Before}|{Hours}");

    /// <summary>Reads <c>page</c>, <c>size</c>, <c>sort</c>, <c>desc</c>, <c>q</c>, <c>selected</c>, <c>level</c>, <c>component</c>, <c>operation</c>, <c>trace</c>, <c>before</c> and <c>hours</c> from a query string.</summary>
    public static SectionQuery From(IQueryCollection query) =>
        Create(query["page"], query["size"], query["sort"], query["desc"], query["q"], query["selected"])
            .Narrow(query["level"], query["component"], query["operation"], query["trace"], query["before"])
            .Over(query["hours"]);

    /// <summary>Bounds and normalises the values of a request.</summary>
    public static SectionQuery Create(string? page, string? size, string? sort, string? descending, string? filter, string? selected) =>
        new(
            Math.Clamp(ParseInt(page, 0), 0, 1_000_000),
            Math.Clamp(ParseInt(size, DefaultSize), 1, MaxSize),
            Cut(sort) ?? string.Empty,
            !string.Equals(descending, "false", StringComparison.OrdinalIgnoreCase),
            Cut(filter)?.Trim() ?? string.Empty,
            string.IsNullOrWhiteSpace(selected) ? null : Cut(selected));

    /// <summary>This query with the list filters; blank values mean no filter.</summary>
    public SectionQuery Narrow(string? level, string? component, string? operation, string? trace, string? before) =>
        this with
        {
            Level = Blank(level),
            Component = Blank(component),
            Operation = Blank(operation),
            Trace = Blank(trace),
            Before = long.TryParse(before, NumberStyles.Integer, CultureInfo.InvariantCulture, out long ms) && ms > 0 ? ms : null,
        };

    /// <summary>This query over a window of <paramref name="hours"/> (bounded to 1 to <see cref="MaxHours"/>); blank or not a number means the default.</summary>
    public SectionQuery Over(string? hours) =>
        this with
        {
            Hours = int.TryParse(hours, NumberStyles.Integer, CultureInfo.InvariantCulture, out int h) ? Math.Clamp(h, 1, MaxHours) : null,
        };

    private static int ParseInt(string? text, int fallback) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;

    private static string? Cut(string? text) => text is { Length: > MaxTextLength } ? text[..MaxTextLength] : text;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : Cut(text.Trim());
}
