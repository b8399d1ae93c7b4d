using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// What a client asks of a section: a page, a sort, a filter and a selected item. Every part is bounded, so no
/// request makes the server build or send more than one page.
/// </summary>
internal sealed record SectionQuery(int Page, int Size, string Sort, bool Descending, string Filter, string? Selected)
{
    /// <summary>Rows per page when none is asked for.</summary>
    public const int DefaultSize = 50;

    /// <summary>Rows per page at most.</summary>
    public const int MaxSize = 200;

    private const int MaxTextLength = 200;

    /// <summary>A key that is equal for equal queries; rendered views are cached under it for one frame.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{Page}|{Size}|{Sort}|{Descending}|{Filter}|{Selected}");

    /// <summary>Reads <c>page</c>, <c>size</c>, <c>sort</c>, <c>desc</c>, <c>q</c> and <c>selected</c> from a query string.</summary>
    public static SectionQuery From(IQueryCollection query) =>
        Create(query["page"], query["size"], query["sort"], query["desc"], query["q"], query["selected"]);

    /// <summary>Bounds and normalises the values of a request.</summary>
    public static SectionQuery Create(string? page, string? size, string? sort, string? descending, string? filter, string? selected) =>
        new(
            Math.Clamp(ParseInt(page, 0), 0, 1_000_000),
            Math.Clamp(ParseInt(size, DefaultSize), 1, MaxSize),
            Cut(sort) ?? string.Empty,
            !string.Equals(descending, "false", StringComparison.OrdinalIgnoreCase),
            Cut(filter)?.Trim() ?? string.Empty,
            string.IsNullOrWhiteSpace(selected) ? null : Cut(selected));

    private static int ParseInt(string? text, int fallback) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;

    private static string? Cut(string? text) => text is { Length: > MaxTextLength } ? text[..MaxTextLength] : text;
}
