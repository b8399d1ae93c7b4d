using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Maran.Instrument.Integration.Tests.Export;

namespace Maran.Instrument.Integration.Tests.Fleet;

/// <summary>
/// Three replicas (tests/Maran.Instrument.CrashWriter in fleet mode) on 127.0.0.1, each with its own port and
/// instance id, a real Prometheus scraping all three every second, and the fleet dashboard served by the maran tool
/// (<c>maran dashboard --prometheus URL --port 0</c>), started once for the tests of <see cref="FleetDashboardTests"/>.
/// <see cref="Moment"/> is a moment at which every replica had been scraped with its rates: the tests evaluate both
/// the dashboard and Prometheus then, so a replica stopped by one test changes nothing another reads.
/// </summary>
public sealed class FleetFixture : IAsyncLifetime
{
    /// <summary>Calls each replica holds open: saturation 0.4, 0.8 and 0.9 of a limit of 10.</summary>
    internal static readonly int[] InFlight = [4, 8, 9];

    internal const int ConcurrencyLimit = 10;

    internal static readonly TimeSpan Ready = TimeSpan.FromSeconds(45);

    private readonly string _folder = Directory.CreateTempSubdirectory("maran-fleet-").FullName;

    internal List<Process> Replicas { get; } = [];

    /// <summary>Each replica's <c>/metrics</c>; its authority is the replica's <c>instance</c> label.</summary>
    internal List<Uri> Metrics { get; } = [];

    internal HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    internal PrometheusServer? Prometheus { get; private set; }

    internal Uri? Dashboard { get; private set; }

    /// <summary>Unix seconds at which every replica was up, scraped twice at least and with a health score.</summary>
    internal string Moment { get; private set; } = string.Empty;

    private Process? _dashboard;

    public async Task InitializeAsync()
    {
        if (PrometheusServer.Find("prometheus") is null)
        {
            return;
        }

        using var ready = new CancellationTokenSource(Ready);
        for (int i = 0; i < InFlight.Length; i++)
        {
            Replicas.Add(StartReplica(i));
        }

        foreach (Process replica in Replicas)
        {
            Metrics.Add(new Uri(await ReadLineAsync(replica, "metrics ", ready.Token)));
        }

        Prometheus = PrometheusServer.Start(Metrics);
        _dashboard = StartDashboard(Prometheus.Api);
        Dashboard = new Uri(await ReadLineAsync(_dashboard, "Maran dashboard: ", ready.Token));

        // A rate needs two samples of each replica; the health score and the saturation come with the first.
        await Prometheus.QueryUntilAsync("sum by (instance) (rate(operation_calls_total[1m])) > 0", r => r.Count == InFlight.Length, Ready);
        await Prometheus.QueryUntilAsync("system_health_score", r => r.Count == InFlight.Length, Ready);
        await Prometheus.QueryUntilAsync("maran_saturation_ratio", r => r.Count == InFlight.Length, Ready);
        Moment = PrometheusMoment(DateTimeOffset.UtcNow);
    }

    public async Task DisposeAsync()
    {
        foreach (Process process in Replicas.Append(_dashboard).OfType<Process>())
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        Prometheus?.Dispose();
        Http.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A moment as Prometheus's API takes it: Unix seconds with milliseconds.</summary>
    internal static string PrometheusMoment(DateTimeOffset at) =>
        (at.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>The dashboard's JSON answer to GET <paramref name="path"/>, which must succeed.</summary>
    internal async Task<JsonDocument> GetAsync(string path)
    {
        using HttpResponseMessage response = await Http.GetAsync(new Uri(Dashboard!, path));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }

    /// <summary>The one value of <paramref name="query"/> at <see cref="Moment"/> (or <paramref name="time"/>).</summary>
    internal async Task<double> ScalarAsync(string query, string? time = null) =>
        Assert.Single(await Prometheus!.QueryAsync(query, time ?? Moment)).Value;

    private Process StartReplica(int index)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Maran.Instrument.CrashWriter.dll"));
        start.ArgumentList.Add(Directory.CreateDirectory(Path.Combine(_folder, "agent-" + index)).FullName);
        start.ArgumentList.Add("fleet");
        start.ArgumentList.Add(InFlight[index].ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(ConcurrencyLimit.ToString(CultureInfo.InvariantCulture));
        start.Environment["OTEL_RESOURCE_ATTRIBUTES"] = $"service.name=fleet-agent,service.instance.id=agent-{index},deployment.environment=test";
        return Started(start);
    }

    private Process StartDashboard(Uri prometheus)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder };
        foreach (string argument in (string[])[Path.Combine(AppContext.BaseDirectory, "Maran.Instrument.Tool.dll"), "dashboard", "--prometheus", prometheus.AbsoluteUri, "--port", "0"])
        {
            start.ArgumentList.Add(argument);
        }

        return Started(start);
    }

    private static Process Started(ProcessStartInfo start)
    {
        Process process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string> ReadLineAsync(Process process, string prefix, CancellationToken cancellationToken)
    {
        while (true)
        {
            string? line = await process.StandardOutput.ReadLineAsync(cancellationToken);
            Assert.True(line is not null, $"the program ended before printing '{prefix}'");
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line[prefix.Length..].Trim();
            }
        }
    }
}
