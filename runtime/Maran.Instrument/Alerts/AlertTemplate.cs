using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Maran.Instrument.Alerts;

/// <summary>
/// A label or annotation text with Prometheus-style placeholders: <c>{{ $value }}</c>, <c>{{ $threshold }}</c>,
/// <c>{{ $labels.name }}</c> and the variables of anomaly, forecast and SLO rules (<see cref="AlertVariables.Known"/>:
/// <c>{{ $expected }}</c>, <c>{{ $eta }}</c>, <c>{{ $burn_rate }}</c>, ...), each number optionally piped through
/// <c>humanize</c> or <c>printf "%.2f"</c>.
/// Parsed once when the rule is built, so a mistake is reported at start naming the rule and field.
/// </summary>
internal sealed partial class AlertTemplate
{
    private readonly Part[] _parts;

    private AlertTemplate(Part[] parts, string text)
    {
        _parts = parts;
        Text = text;
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>Whether the template uses <c>$value</c> or a rule variable, which change at every evaluation.</summary>
    public bool UsesValue => _parts.Any(static p => p.Kind is PartKind.Value or PartKind.Variable);

    /// <summary>The rule variables the template uses (<c>expected</c>, <c>eta</c>, ...), without <c>$value</c>, <c>$threshold</c> and labels.</summary>
    public IEnumerable<string> Variables => _parts.Where(static p => p.Kind == PartKind.Variable).Select(static p => p.Text);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="problem"/> says what is wrong and where.</summary>
    public static bool TryParse(string text, out AlertTemplate? template, out string? problem)
    {
        template = null;
        problem = null;
        var parts = new List<Part>();
        int position = 0;
        while (position < text.Length)
        {
            int open = text.IndexOf("{{", position, StringComparison.Ordinal);
            int strayClose = text.IndexOf("}}", position, StringComparison.Ordinal);
            if (strayClose >= 0 && (open < 0 || strayClose < open))
            {
                problem = $"'}}}}' at position {strayClose + 1} closes nothing";
                return false;
            }

            if (open < 0)
            {
                parts.Add(Part.Literal(text[position..]));
                break;
            }

            if (open > position)
            {
                parts.Add(Part.Literal(text[position..open]));
            }

            int close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                problem = $"'{{{{' at position {open + 1} is never closed with '}}}}'";
                return false;
            }

            if (!TryParseAction(text[(open + 2)..close].Trim(), out Part? part, out problem))
            {
                problem = $"'{{{{{text[(open + 2)..close]}}}}}' at position {open + 1}: {problem}";
                return false;
            }

            parts.Add(part!);
            position = close + 2;
        }

        template = new AlertTemplate([.. parts], text);
        return true;
    }

    /// <summary>Fills in the placeholders; a label the alert does not have, or a variable it has no value for, renders empty.</summary>
    public string Render(double value, double threshold, IReadOnlyDictionary<string, string> labels, AlertVariables? variables = null)
    {
        if (_parts.Length == 1 && _parts[0].Kind == PartKind.Literal)
        {
            return _parts[0].Text;
        }

        var builder = new StringBuilder();
        foreach (Part part in _parts)
        {
            switch (part.Kind)
            {
                case PartKind.Literal:
                    builder.Append(part.Text);
                    break;
                case PartKind.Value:
                    builder.Append(Format(value, part));
                    break;
                case PartKind.Threshold:
                    builder.Append(Format(threshold, part));
                    break;
                case PartKind.Label:
                    builder.Append(labels.GetValueOrDefault(part.Text, string.Empty));
                    break;
                case PartKind.Variable when variables is not null:
                    if (variables.TryGetNumber(part.Text, out double number))
                    {
                        builder.Append(Format(number, part));
                    }
                    else
                    {
                        builder.Append(variables.TextOf(part.Text));
                    }

                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>A number as templates print it when no format is asked for: up to four decimals, invariant culture.</summary>
    internal static string FormatNumber(double value) =>
        double.IsFinite(value) ? Math.Round(value, 4).ToString("0.####", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);

    private static string Format(double value, Part part)
    {
        if (part.Decimals is { } decimals)
        {
            return value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }

        return part.Humanize ? Humanize(value) : FormatNumber(value);
    }

    private static string Humanize(double value)
    {
        double magnitude = Math.Abs(value);
        (double scale, string suffix) = magnitude switch
        {
            >= 1e12 => (1e12, "T"),
            >= 1e9 => (1e9, "G"),
            >= 1e6 => (1e6, "M"),
            >= 1e3 => (1e3, "k"),
            _ => (1, string.Empty),
        };
        return (value / scale).ToString("0.###", CultureInfo.InvariantCulture) + suffix;
    }

    private static bool TryParseAction(string action, out Part? part, out string? problem)
    {
        part = null;
        problem = null;
        if (action.Length == 0)
        {
            problem = "an empty placeholder; write $value, $threshold, $labels.<name> or a rule variable";
            return false;
        }

        string[] pipeline = action.Split('|', StringSplitOptions.TrimEntries);
        if (pipeline.Length > 2)
        {
            problem = "at most one function may follow the value (humanize or printf \"%.Nf\")";
            return false;
        }

        string subject = pipeline[0];
        bool humanize = false;
        int? decimals = null;
        if (PrintfPrefix().Match(subject) is { Success: true } prefixed)
        {
            decimals = int.Parse(prefixed.Groups[1].Value, CultureInfo.InvariantCulture);
            subject = prefixed.Groups[2].Value;
        }
        else if (subject.StartsWith("humanize ", StringComparison.Ordinal))
        {
            humanize = true;
            subject = subject["humanize ".Length..].Trim();
        }

        if (pipeline.Length == 2)
        {
            if (pipeline[1] == "humanize")
            {
                humanize = true;
            }
            else if (PrintfPipe().Match(pipeline[1]) is { Success: true } piped)
            {
                decimals = int.Parse(piped.Groups[1].Value, CultureInfo.InvariantCulture);
            }
            else
            {
                problem = $"unknown function '{pipeline[1]}' (known: humanize, printf \"%.Nf\")";
                return false;
            }
        }

        if (subject == "$value")
        {
            part = new Part(PartKind.Value, string.Empty, humanize, decimals);
            return true;
        }

        if (subject == "$threshold")
        {
            part = new Part(PartKind.Threshold, string.Empty, humanize, decimals);
            return true;
        }

        if (subject.StartsWith("$labels.", StringComparison.Ordinal))
        {
            string name = subject["$labels.".Length..];
            if (!AlertRuleValidator.IsLabelName(name))
            {
                problem = $"'{name}' is not a label name (letters, digits and _, not starting with a digit)";
                return false;
            }

            if (humanize || decimals is not null)
            {
                problem = "labels are text; only $value and $threshold take humanize or printf";
                return false;
            }

            part = new Part(PartKind.Label, name, false, null);
            return true;
        }

        if (subject.StartsWith('$') && AlertVariables.Known.TryGetValue(subject[1..], out bool isText))
        {
            if (isText && (humanize || decimals is not null))
            {
                problem = $"{subject} is text; only numbers take humanize or printf";
                return false;
            }

            part = new Part(PartKind.Variable, subject[1..], humanize, decimals);
            return true;
        }

        problem = subject == "$labels"
            ? "$labels needs a label name: $labels.<name>"
            : $"unknown variable '{subject}' (known: $value, $threshold, $labels.<name>, {string.Join(", ", AlertVariables.Known.Keys.Select(static k => "$" + k))})";
        return false;
    }

    [GeneratedRegex("""^printf\s+"%\.(\d)f"\s+(\S+)$""")]
    private static partial Regex PrintfPrefix();

    [GeneratedRegex("""^printf\s+"%\.(\d)f"$""")]
    private static partial Regex PrintfPipe();

    private enum PartKind
    {
        Literal,
        Value,
        Threshold,
        Label,
        Variable,
    }

    private sealed record Part(PartKind Kind, string Text, bool Humanize, int? Decimals)
    {
        public static Part Literal(string text) => new(PartKind.Literal, text, false, null);
    }
}
