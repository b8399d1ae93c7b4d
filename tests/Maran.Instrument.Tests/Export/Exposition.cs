using System.Globalization;
using Prometheus;

namespace Maran.Instrument.Tests.Export;

/// <summary>The Prometheus text exposition of a registry, read back into samples keyed by name and labels.</summary>
internal sealed class Exposition
{
    private Exposition(string text, Dictionary<string, double> samples)
    {
        Text = text;
        Samples = samples;
    }

    public string Text { get; }

    public IReadOnlyDictionary<string, double> Samples { get; }

    public static async Task<Exposition> ScrapeAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    public static Exposition Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int space = line.LastIndexOf(' ');
            samples[line[..space]] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }

        return new Exposition(text, samples);
    }

    /// <summary>The value of one sample, or null when it is absent.</summary>
    public double? Value(string nameAndLabels) => Samples.TryGetValue(nameAndLabels, out double value) ? value : null;

    /// <summary>Whether any sample of the metric is present.</summary>
    public bool Has(string name) => Samples.Keys.Any(k => k == name || k.StartsWith(name + "{", StringComparison.Ordinal));
}
