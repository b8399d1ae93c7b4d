namespace Maran.Instrument.Alerts;

/// <summary>How a rule compares a metric's value with its threshold.</summary>
public enum AlertComparison
{
    /// <summary><c>&gt;</c>: the value is above the threshold.</summary>
    GreaterThan,

    /// <summary><c>&gt;=</c>: the value is at or above the threshold.</summary>
    GreaterThanOrEqual,

    /// <summary><c>&lt;</c>: the value is below the threshold.</summary>
    LessThan,

    /// <summary><c>&lt;=</c>: the value is at or below the threshold.</summary>
    LessThanOrEqual,

    /// <summary><c>==</c>: the value equals the threshold.</summary>
    Equal,

    /// <summary><c>!=</c>: the value differs from the threshold.</summary>
    NotEqual,
}

/// <summary>The written forms of <see cref="AlertComparison"/> (<c>&gt;</c>, <c>&gt;=</c>, ...) and the comparison itself.</summary>
internal static class AlertComparisons
{
    internal const string Accepted = ">, >=, <, <=, == or !=";

    internal static bool TryParse(string? text, out AlertComparison comparison)
    {
        comparison = default;
        switch (text?.Trim())
        {
            case ">":
                comparison = AlertComparison.GreaterThan;
                return true;
            case ">=":
                comparison = AlertComparison.GreaterThanOrEqual;
                return true;
            case "<":
                comparison = AlertComparison.LessThan;
                return true;
            case "<=":
                comparison = AlertComparison.LessThanOrEqual;
                return true;
            case "==":
                comparison = AlertComparison.Equal;
                return true;
            case "!=":
                comparison = AlertComparison.NotEqual;
                return true;
            default:
                return false;
        }
    }

    internal static string Symbol(this AlertComparison comparison) => comparison switch
    {
        AlertComparison.GreaterThan => ">",
        AlertComparison.GreaterThanOrEqual => ">=",
        AlertComparison.LessThan => "<",
        AlertComparison.LessThanOrEqual => "<=",
        AlertComparison.Equal => "==",
        AlertComparison.NotEqual => "!=",
        _ => "?",
    };

    internal static bool Holds(this AlertComparison comparison, double value, double threshold) => comparison switch
    {
        AlertComparison.GreaterThan => value > threshold,
        AlertComparison.GreaterThanOrEqual => value >= threshold,
        AlertComparison.LessThan => value < threshold,
        AlertComparison.LessThanOrEqual => value <= threshold,
        AlertComparison.Equal => value == threshold,
        AlertComparison.NotEqual => value != threshold,
        _ => false,
    };
}
