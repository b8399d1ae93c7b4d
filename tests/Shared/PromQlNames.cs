using System.Text.RegularExpressions;

namespace Maran.Instrument.Testing;

/// <summary>The metric names a PromQL expression reads, for the tests that hold every query to what the toolkit exports.</summary>
internal static partial class PromQlNames
{
    /// <summary>
    /// The names left once grouping clauses, label matchers, ranges, numbers, keywords and function calls are taken
    /// out; a recording rule's name (<c>level:metric:operations</c>) is one name.
    /// </summary>
    public static IEnumerable<string> Of(string expression)
    {
        string cleaned = Strings().Replace(expression, " ");
        cleaned = Grouping().Replace(cleaned, " ");
        cleaned = Matchers().Replace(cleaned, " ");
        cleaned = Ranges().Replace(cleaned, " ");
        return MetricName().Matches(cleaned).Select(m => m.Value)
            .Where(w => !char.IsDigit(w[0]) && !Keywords.Contains(w));
    }

    /// <summary>Whether <paramref name="metric"/> is one of <paramref name="exported"/>, or a histogram's <c>_bucket</c>, <c>_sum</c> or <c>_count</c> series of one.</summary>
    public static bool IsExported(string metric, IReadOnlySet<string> exported) =>
        exported.Contains(metric) || exported.Contains(HistogramSeries().Replace(metric, string.Empty));

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal) { "and", "or", "unless", "offset", "bool", "on", "ignoring", "group_left", "group_right" };

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\b(by|without|on|ignoring)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"(?<![\w:])[a-zA-Z_:][a-zA-Z0-9_:]*(?![\w:])(?!\s*\()")]
    private static partial Regex MetricName();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSeries();
}
