using System.Globalization;
using System.Text.RegularExpressions;
using Maran.Instrument;

namespace Maran.Agent;

/// <summary>The agent's tools: arithmetic and counting, which a language model should not guess.</summary>
public static partial class Tools
{
    /// <summary>Runs the tool the question asks for, or returns null when it asks for none.</summary>
    [MonitorOperation("tool_call", "tools")]
    public static string? TryRun(string question)
    {
        Match arithmetic = Arithmetic().Match(question);
        if (arithmetic.Success)
        {
            double left = double.Parse(arithmetic.Groups["a"].Value, CultureInfo.InvariantCulture);
            double right = double.Parse(arithmetic.Groups["b"].Value, CultureInfo.InvariantCulture);
            double result = arithmetic.Groups["op"].Value switch
            {
                "+" => left + right,
                "-" => left - right,
                "*" or "x" => left * right,
                _ => right == 0 ? throw new DivideByZeroException("The calculator tool cannot divide by zero.") : left / right,
            };
            return $"{left} {arithmetic.Groups["op"].Value} {right} = {result.ToString(CultureInfo.InvariantCulture)}";
        }

        Match count = WordCount().Match(question);
        return count.Success
            ? $"'{count.Groups["text"].Value}' has {count.Groups["text"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length} words"
            : null;
    }

    [GeneratedRegex(@"(?<a>-?\d+(\.\d+)?)\s*(?<op>[-+*/x])\s*(?<b>-?\d+(\.\d+)?)")]
    private static partial Regex Arithmetic();

    [GeneratedRegex(@"how many words (are )?in ['""](?<text>[^'""]+)['""]", RegexOptions.IgnoreCase)]
    private static partial Regex WordCount();
}
