using System.Text.Json;

namespace Maran.Instrument.Benchmarks.Report;

/// <summary>
/// The results found in a folder of BenchmarkDotNet full JSON exports (<c>*-report-full.json</c>, one per
/// benchmark class). Where two files hold the same benchmark, the newer file wins.
/// </summary>
public sealed class BenchmarkResults
{
    private readonly Dictionary<(string Suite, string Method), BenchmarkResult> _results;

    private BenchmarkResults(Dictionary<(string Suite, string Method), BenchmarkResult> results, HostInfo? host, IReadOnlyList<string> files)
    {
        _results = results;
        Host = host;
        Files = files;
    }

    /// <summary>The machine of the newest file, or null when no file said.</summary>
    public HostInfo? Host { get; }

    /// <summary>The files read, oldest first.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>How many benchmarks have a result.</summary>
    public int Count => _results.Count;

    /// <summary>
    /// Reads every <c>*-report-full.json</c> in <paramref name="folder"/>, or only those written at or after
    /// <paramref name="since"/> (UTC) when given. Benchmarks that failed (no statistics) are left out.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="JsonException">A file is not a BenchmarkDotNet JSON export.</exception>
    public static BenchmarkResults Load(string folder, DateTime? since = null)
    {
        var files = new DirectoryInfo(folder)
            .GetFiles("*-report-full.json")
            .Where(f => since is null || f.LastWriteTimeUtc >= since.Value)
            .OrderBy(f => f.LastWriteTimeUtc)
            .ThenBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        var results = new Dictionary<(string, string), BenchmarkResult>();
        HostInfo? host = null;
        foreach (FileInfo file in files)
        {
            using FileStream stream = file.OpenRead();
            using JsonDocument document = JsonDocument.Parse(stream);
            JsonElement root = document.RootElement;
            host = ReadHost(root) ?? host;
            foreach (JsonElement benchmark in root.GetProperty("Benchmarks").EnumerateArray())
            {
                if (ReadBenchmark(benchmark) is { } result)
                {
                    results[(result.Suite, result.Method)] = result;
                }
            }
        }

        return new BenchmarkResults(results, host, [.. files.Select(f => f.FullName)]);
    }

    /// <summary>The result of <paramref name="suite"/>.<paramref name="method"/>, or null when it was not run.</summary>
    public BenchmarkResult? Find(string suite, string method) => _results.GetValueOrDefault((suite, method));

    private static BenchmarkResult? ReadBenchmark(JsonElement benchmark)
    {
        if (!benchmark.TryGetProperty("Statistics", out JsonElement statistics) || statistics.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        double margin = double.NaN;
        if (statistics.TryGetProperty("ConfidenceInterval", out JsonElement interval)
            && interval.TryGetProperty("Margin", out JsonElement marginValue)
            && marginValue.ValueKind == JsonValueKind.Number)
        {
            margin = marginValue.GetDouble();
        }

        double? allocated = null;
        if (benchmark.TryGetProperty("Memory", out JsonElement memory)
            && memory.ValueKind == JsonValueKind.Object
            && memory.TryGetProperty("BytesAllocatedPerOperation", out JsonElement bytes)
            && bytes.ValueKind == JsonValueKind.Number)
        {
            allocated = bytes.GetDouble();
        }

        return new BenchmarkResult(
            benchmark.GetProperty("Type").GetString()!,
            benchmark.GetProperty("Method").GetString()!,
            statistics.GetProperty("Mean").GetDouble(),
            margin,
            allocated);
    }

    private static HostInfo? ReadHost(JsonElement root)
    {
        if (!root.TryGetProperty("HostEnvironmentInfo", out JsonElement host) || host.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return new HostInfo(
            Text(host, "ProcessorName"),
            Number(host, "PhysicalCoreCount"),
            Number(host, "LogicalCoreCount"),
            Text(host, "OsVersion"),
            Text(host, "RuntimeVersion"),
            Text(host, "BenchmarkDotNetVersion"));

        static string Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "unknown";

        static int Number(JsonElement element, string name) =>
            element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : 0;
    }
}
