using System.Globalization;
using System.Text.Json;

namespace Maran.Instrument.Benchmarks.Nab;

/// <summary>
/// NAB's labelled anomaly windows (<c>combined_windows.json</c>): for each data file, by its path relative to the
/// data folder (<c>realTraffic/speed_6005.csv</c>), the time ranges in which an anomaly is labelled.
/// </summary>
public sealed class NabLabels
{
    private readonly Dictionary<string, IReadOnlyList<NabWindow>> _windows;

    private NabLabels(Dictionary<string, IReadOnlyList<NabWindow>> windows) => _windows = windows;

    /// <summary>Data files that have labels, by relative path, in file order.</summary>
    public IReadOnlyCollection<string> Files => _windows.Keys;

    /// <summary>Windows over all files: what a perfect detector detects.</summary>
    public int WindowCount => _windows.Values.Sum(w => w.Count);

    /// <summary>The windows of one file (relative path with forward slashes).</summary>
    public IReadOnlyList<NabWindow> WindowsOf(string relativePath) =>
        _windows.TryGetValue(relativePath, out IReadOnlyList<NabWindow>? windows)
            ? windows
            : throw new KeyNotFoundException($"No labels for '{relativePath}'.");

    /// <summary>Reads a <c>combined_windows.json</c>.</summary>
    public static NabLabels Load(string path)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        var windows = new Dictionary<string, IReadOnlyList<NabWindow>>(StringComparer.Ordinal);
        foreach (JsonProperty file in document.RootElement.EnumerateObject())
        {
            windows[file.Name] = file.Value.EnumerateArray()
                .Select(w => new NabWindow(ParseTime(w[0].GetString()!), ParseTime(w[1].GetString()!)))
                .ToList();
        }

        return new NabLabels(windows);
    }

    /// <summary>Reads a NAB timestamp (<c>2014-04-10 07:15:00</c>, optionally with fractional seconds).</summary>
    public static DateTime ParseTime(string text) =>
        DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
