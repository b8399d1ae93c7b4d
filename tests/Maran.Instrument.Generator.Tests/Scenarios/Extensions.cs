using System.Collections.Generic;
using Maran.Instrument;

namespace Scenarios.Extensions;

public static class TextExtensions
{
    [MonitorOperation("shout", "extensions")]
    public static string Shout(this string text) => text.ToUpperInvariant() + "!";

    [MonitorOperation("first_or", "extensions")]
    public static T FirstOr<T>(this IReadOnlyList<T> items, T fallback) => items.Count > 0 ? items[0] : fallback;
}

public static class Program
{
    public static string Run()
    {
        string reduced = "hi".Shout();
        string classic = TextExtensions.Shout("ho");
        int first = new[] { 7, 8 }.FirstOr(0);
        string none = new List<string>().FirstOr("none");
        return $"{reduced} {classic} {first} {none}";
    }
}
