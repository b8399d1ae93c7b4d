using Maran.Instrument;

namespace Scenarios.OverloadsAndNullability;

public class Formatter
{
    [MonitorOperation("format_number", "overloads")]
    public string Format(int value) => "n" + value;

    [MonitorOperation("format_text", "overloads")]
    public string Format(string? value) => "t" + (value ?? "null");

    [MonitorOperation("format_pair", "overloads")]
    public string Format(string? key, object? value) => key + "=" + (value ?? "null");

    [MonitorOperation("maybe", "overloads")]
    public T? Maybe<T>(bool present, T value) where T : class => present ? value : null;
}

#nullable disable
public class Legacy
{
    [MonitorOperation("legacy", "overloads")]
    public string Echo(string text) => text;
}
#nullable restore

public static class Program
{
    public static string Run()
    {
        var formatter = new Formatter();
        string? missing = formatter.Maybe(false, "x");
        return string.Join(",", formatter.Format(1), formatter.Format("a"), formatter.Format((string?)null),
            formatter.Format("k", 2), missing ?? "none", formatter.Maybe(true, "y"), new Legacy().Echo(null) ?? "null");
    }
}
