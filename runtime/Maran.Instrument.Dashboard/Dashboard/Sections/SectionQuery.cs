using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// What a client asks of a section: a page, a sort, a filter and a selected item; for the lists that grow while
/// they are read (logs, alert history) a level, component, operation and trace filter and a moment to page back from;
/// for errors and costs a window of hours. Every part is bounded, so no request makes the server build or send more
/// than one page; a number out of its range is refused (<see cref="QueryProblem"/>), never clamped.
/// </summary>
internal sealed record SectionQuery(int Page, int Size, string Sort, bool Descending, string Filter, string? Selected)
{
    /// <summary>Rows per page when none is asked for.</summary>
    public const int DefaultSize = 50;

    /// <summary>Rows per page at most.</summary>
    public const int MaxSize = 200;

    /// <summary>The longest window of hours errors and costs are summed over (30 days, the default retention).</summary>
    public const int MaxHours = 30 * 24;

    /// <summary>The highest page number a client may ask for.</summary>
    public const int MaxPage = 1_000_000;

    /// <summary>The latest moment <see cref="Before"/> can name: the last millisecond a date can hold (9999-12-31T23:59:59.999Z).</summary>
    public const long MaxBefore = 253_402_300_799_999;

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

    /// <summary>
    /// Reads <c>page</c>, <c>size</c>, <c>sort</c>, <c>desc</c>, <c>q</c>, <c>selected</c>, <c>level</c>,
    /// <c>component</c>, <c>operation</c>, <c>trace</c>, <c>before</c> and <c>hours</c> from <paramref name="value"/>
    /// (a query string, a live view request). A blank number takes its default; one that is not a whole number in its
    /// range is a <paramref name="problem"/> naming it, and the query is null.
    /// </summary>
    public static SectionQuery? Read(Func<string, string?> value, out QueryProblem? problem)
    {
        if (ReadNumber(value, "page", 0, MaxPage, out long? page) is { } badPage)
        {
            problem = badPage;
            return null;
        }

        if (ReadNumber(value, "size", 1, MaxSize, out long? size) is { } badSize)
        {
            problem = badSize;
            return null;
        }

        if (ReadNumber(value, "before", 1, MaxBefore, out long? before) is { } badBefore)
        {
            problem = badBefore;
            return null;
        }

        if (ReadNumber(value, "hours", 1, MaxHours, out long? hours) is { } badHours)
        {
            problem = badHours;
            return null;
        }

        problem = null;
        string? selected = value("selected");
        return new SectionQuery(
            (int)(page ?? 0),
            (int)(size ?? DefaultSize),
            Cut(value("sort")) ?? string.Empty,
            !string.Equals(value("desc"), "false", StringComparison.OrdinalIgnoreCase),
            Cut(value("q"))?.Trim() ?? string.Empty,
            string.IsNullOrWhiteSpace(selected) ? null : Cut(selected))
        {
            Level = Blank(value("level")),
            Component = Blank(value("component")),
            Operation = Blank(value("operation")),
            Trace = Blank(value("trace")),
            Before = before,
            Hours = (int?)hours,
        };
    }

    /// <summary>Reads a query string; see <see cref="Read(Func{string, string?}, out QueryProblem?)"/>.</summary>
    public static SectionQuery? Read(IQueryCollection query, out QueryProblem? problem) =>
        Read(name => query[name], out problem);

    private static QueryProblem? ReadNumber(Func<string, string?> value, string name, long min, long max, out long? number)
    {
        number = null;
        string? text = value(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed) && parsed >= min && parsed <= max)
        {
            number = parsed;
            return null;
        }

        return new QueryProblem(name, Cut(text)!, min, max);
    }

    private static string? Cut(string? text) => text is { Length: > MaxTextLength } ? text[..MaxTextLength] : text;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : Cut(text.Trim());
}
