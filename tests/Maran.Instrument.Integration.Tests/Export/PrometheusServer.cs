using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Maran.Instrument.Integration.Tests.Export;

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c> package) on 127.0.0.1, with a temporary configuration
/// that scrapes its targets every second (evaluating the rules of an optional rules file as often) and a temporary
/// storage folder; killed and deleted on dispose.
/// </summary>
internal sealed class PrometheusServer : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private PrometheusServer(Process process, string directory, Uri api)
    {
        _process = process;
        _directory = directory;
        Api = api;
    }

    public Uri Api { get; }

    /// <summary>The full path of a Prometheus tool on PATH (<c>prometheus</c>, <c>promtool</c>), or null when it is not installed.</summary>
    public static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(d => Path.Combine(d, tool))
            .FirstOrDefault(File.Exists);

    /// <summary>The seconds between two scrapes of a target.</summary>
    public const int ScrapeIntervalSeconds = 1;

    public static PrometheusServer Start(Uri target, string? rulesFile = null) => Start([target], rulesFile);

    /// <summary>Starts a server scraping every one of <paramref name="targets"/> every second unless told otherwise.</summary>
    /// <param name="targets">The targets, all on the same metrics path.</param>
    /// <param name="rulesFile">A rules file to evaluate, or null.</param>
    /// <param name="scrapeIntervalSeconds">
    /// Seconds between scrapes, and so the scrape timeout too: a test on a loaded machine whose targets may answer
    /// slower than a second asks for more, or they flap down.
    /// </param>
    public static PrometheusServer Start(IReadOnlyList<Uri> targets, string? rulesFile = null, int scrapeIntervalSeconds = ScrapeIntervalSeconds)
    {
        Uri target = targets[0];
        string list = string.Join(", ", targets.Select(static t => $"\"{t.Authority}\""));
        string binary = Find("prometheus") ?? throw new InvalidOperationException("prometheus is not installed");
        string directory = Path.Combine(Path.GetTempPath(), "maran-prometheus-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(directory, "data"));
        string config = Path.Combine(directory, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: {scrapeIntervalSeconds}s
              evaluation_interval: {scrapeIntervalSeconds}s
            rule_files: [{(rulesFile is null ? string.Empty : "\"" + rulesFile + "\"")}]
            scrape_configs:
              - job_name: maran
                metrics_path: {target.AbsolutePath}
                static_configs:
                  - targets: [{list}]
            """);

        int port = FreePort();
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (string argument in (string[])[
                     $"--config.file={config}",
                     $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                     $"--web.listen-address=127.0.0.1:{port}",
                 ])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>
    /// Runs an instant query until <paramref name="accept"/> takes its result or <paramref name="timeout"/> passes;
    /// returns the last result either way (an empty list when Prometheus never answered).
    /// </summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryUntilAsync(
        string query, Func<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>, bool> accept, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        IReadOnlyList<(IReadOnlyDictionary<string, string>, double)> last = [];
        while (deadline.Elapsed < timeout)
        {
            try
            {
                last = await QueryAsync(query);
                if (accept(last))
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
                // Still starting.
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with code {_process.ExitCode}");
            }

            await Task.Delay(250);
        }

        return last;
    }

    /// <summary>Each target's address, health and last scrape error, as Prometheus reports them: for a failure message.</summary>
    public async Task<string> TargetsAsync()
    {
        try
        {
            string json = await _http.GetStringAsync(new Uri(Api, "api/v1/targets"));
            using JsonDocument document = JsonDocument.Parse(json);
            return string.Join("; ", document.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray().Select(static t =>
                $"{t.GetProperty("scrapeUrl").GetString()} {t.GetProperty("health").GetString()} {t.GetProperty("lastError").GetString()} ({t.GetProperty("lastScrapeDuration").GetDouble():0.###} s)"));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return "targets unknown: " + ex.Message;
        }
    }

    /// <summary>Runs an instant query now, or at <paramref name="time"/> (Unix seconds) when given.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string query, string? time = null)
    {
        string json = await _http.GetStringAsync(new Uri(Api, "api/v1/query?query=" + Uri.EscapeDataString(query) + (time is null ? string.Empty : "&time=" + time)));
        using JsonDocument document = JsonDocument.Parse(json);
        var results = new List<(IReadOnlyDictionary<string, string>, double)>();
        foreach (JsonElement series in document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty);
            double value = double.Parse(series.GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            results.Add((labels, value));
        }

        return results;
    }

    public void Dispose()
    {
        _http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
