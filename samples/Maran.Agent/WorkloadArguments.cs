using System.Globalization;

namespace Maran.Agent;

/// <summary>The workload's command line: <c>--queries N --rate R --error-rate P --duration D --token-latency D</c>.</summary>
internal sealed record WorkloadArguments(int? Queries, double Rate, double ErrorRate, TimeSpan? Duration, TimeSpan TokenLatency)
{
    public const string Usage =
        "usage: Maran.Agent [--queries N] [--rate QUERIES_PER_SECOND] [--error-rate 0..1] [--duration 30s|5m] [--token-latency 1ms]";

    public static WorkloadArguments Parse(string[] args)
    {
        var parsed = new WorkloadArguments(null, 2, 0.1, null, TimeSpan.FromMilliseconds(1));
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            parsed = name switch
            {
                "--queries" => parsed with { Queries = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : throw Bad(name, value, "a positive whole number") },
                "--rate" => parsed with { Rate = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double r) && r > 0 ? r : throw Bad(name, value, "a positive number of queries per second") },
                "--error-rate" => parsed with { ErrorRate = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double e) && e is >= 0 and <= 1 ? e : throw Bad(name, value, "a share between 0 and 1") },
                "--duration" => parsed with { Duration = TryParseDuration(value, out TimeSpan d) && d > TimeSpan.Zero ? d : throw Bad(name, value, "a duration such as 30s or 5m") },
                "--token-latency" => parsed with { TokenLatency = TryParseDuration(value, out TimeSpan t) && t >= TimeSpan.Zero ? t : throw Bad(name, value, "a duration such as 1ms") },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        return parsed;
    }

    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"{(Queries is { } q ? $"{q} queries" : "queries until stopped")} at {Rate}/s, {ErrorRate:P0} of model calls failing");

    // 500ms, 30s, 5m, 2h, or plain seconds.
    private static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        foreach ((string suffix, double seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out double n))
            {
                duration = TimeSpan.FromSeconds(n * seconds);
                return true;
            }
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double plain))
        {
            duration = TimeSpan.FromSeconds(plain);
            return true;
        }

        return false;
    }

    private static ArgumentException Bad(string name, string value, string expected) => new($"{name} {value}: expected {expected}.");
}
