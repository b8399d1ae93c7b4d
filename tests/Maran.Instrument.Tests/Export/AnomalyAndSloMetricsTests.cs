using System.Diagnostics;
using Maran.Instrument.Alerts;
using Maran.Instrument.Configuration;
using Maran.Instrument.Profiling;
using Microsoft.Extensions.Time.Testing;

namespace Maran.Instrument.Tests.Export;

/// <summary>
/// The anomaly and SLO gauges on a real <c>/metrics</c> endpoint: a system on a fake clock, an anomaly rule on a
/// custom metric that spikes and an SLO on an operation that fails, scraped over HTTP and read back.
/// </summary>
[Collection(RuntimeSwitches.Name)]
public sealed class AnomalyAndSloMetricsTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly string _metric = "queue_depth_" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _component = "slo-metrics-" + Guid.NewGuid().ToString("N")[..8];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly AdvancedMonitoringSystem _system;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public AnomalyAndSloMetricsTests()
    {
        var options = new MonitoringOptions();
        options.Monitoring.MetricsPort = 0;
        options.Monitoring.DashboardPort = 0;
        options.Logging.Console = false;
        options.Logging.File = false;
        options.Storage.Enabled = false;
        options.Alerts.DefaultRules = false;
        options.Alerts.EvaluationInterval = Interval;
        options.Alerts.Channels.Console.Enabled = false;
        options.Alerts.Channels.File.Enabled = false;
        options.Alerts.CustomMetrics.Add(_metric);
        options.Alerts.Rules.Add(new AlertRuleOptions { Name = "QueueAnomaly", Kind = "anomaly", Metric = _metric, Direction = "above" });
        options.Alerts.Slos.Add(new SloOptions { Name = "generate_availability", Operation = "generate", Component = _component, Objective = 0.995 });
        _system = new AdvancedMonitoringSystem(options, _time);
        _system.Start();
    }

    public void Dispose()
    {
        _http.Dispose();
        _system.Dispose();
    }

    private async Task<string> ScrapeAsync()
    {
        Uri url = Assert.IsType<Uri>(_system.Prometheus.EndpointUrl);
        return await _http.GetStringAsync(url);
    }

    // A steady queue with a little noise, then one spike: the detector learns the first and scores the second.
    private void FeedQueueWithSpike()
    {
        var noise = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            _system.Alerts.SetCustomMetric(_metric, 100 + ((noise.NextDouble() - 0.5) * 4));
            _time.Advance(Interval);
        }

        _system.Alerts.SetCustomMetric(_metric, 400);
        _time.Advance(Interval);
    }

    private void Run(int ok, int failed)
    {
        for (int i = 0; i < ok + failed; i++)
        {
            OperationToken token = _system.Profiler.StartOperation("generate", _component);
            _system.Profiler.EndOperation(token, i < ok ? OperationStatus.Success : OperationStatus.Error, i < ok ? null : new InvalidOperationException("model down"));
        }
    }

    [Fact]
    public async Task A_spike_in_a_watched_series_is_exported_as_its_anomaly_score_above_its_expected_band()
    {
        FeedQueueWithSpike();

        var exposition = Exposition.Parse(await ScrapeAsync());
        string series = $"{{series=\"{_metric}\"}}";
        double score = Assert.NotNull(exposition.Value("maran_anomaly_score" + series));
        double lower = Assert.NotNull(exposition.Value("maran_anomaly_expected_lower" + series));
        double upper = Assert.NotNull(exposition.Value("maran_anomaly_expected_upper" + series));
        AnomalyPoint latest = Assert.Single(_system.Alerts.GetAnomalies()).Latest;
        Assert.Equal((latest.Score, latest.Lower, latest.Upper), (score, lower, upper));
        Assert.InRange(score, 0.5, 1);
        Assert.True(lower < 98 && upper > 102 && upper < 400, $"band {lower} to {upper}");
    }

    [Fact]
    public async Task An_slos_objective_remaining_budget_and_burn_rate_per_window_are_exported_as_the_engine_computes_them()
    {
        _time.Advance(Interval);
        Run(ok: 900, failed: 100);
        _time.Advance(Interval);

        var exposition = Exposition.Parse(await ScrapeAsync());
        SloStatus status = Assert.Single(_system.Alerts.GetSloStatus());
        Assert.Equal(0.995, exposition.Value("maran_slo_objective{slo=\"generate_availability\"}"));
        Assert.Equal(status.ErrorBudgetRemaining, exposition.Value("maran_slo_error_budget_remaining{slo=\"generate_availability\"}"));
        Assert.Equal(-19, status.ErrorBudgetRemaining, 9);
        foreach ((string window, TimeSpan span) in (ReadOnlySpan<(string, TimeSpan)>)[("1h", TimeSpan.FromHours(1)), ("5m", TimeSpan.FromMinutes(5)), ("6h", TimeSpan.FromHours(6)), ("30m", TimeSpan.FromMinutes(30))])
        {
            double? expected = status.BurnRates.Single(b => b.Window == span).BurnRate;
            Assert.Equal(20, expected!.Value, 9);
            Assert.Equal(expected, exposition.Value($"maran_slo_burn_rate{{slo=\"generate_availability\",window=\"{window}\"}}"));
        }
    }

    [Fact]
    public async Task Before_any_call_an_slo_has_its_objective_and_whole_budget_and_no_burn_rate()
    {
        _time.Advance(Interval);

        var exposition = Exposition.Parse(await ScrapeAsync());
        Assert.Equal(0.995, exposition.Value("maran_slo_objective{slo=\"generate_availability\"}"));
        Assert.Equal(1, exposition.Value("maran_slo_error_budget_remaining{slo=\"generate_availability\"}"));
        Assert.False(exposition.Has("maran_slo_burn_rate"), "a window without calls has no burn rate");
    }

    [SkippableFact]
    public async Task The_exposition_with_anomaly_and_slo_gauges_passes_promtool_check_metrics()
    {
        string? promtool = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator)
            .Select(static d => Path.Combine(d, "promtool")).FirstOrDefault(File.Exists);
        Skip.If(promtool is null, "promtool is not on PATH (apt-get install prometheus)");
        FeedQueueWithSpike();
        Run(ok: 90, failed: 10);
        _time.Advance(Interval);
        string text = await ScrapeAsync();
        Assert.Contains("maran_anomaly_score{", text, StringComparison.Ordinal);
        Assert.Contains("maran_slo_burn_rate{", text, StringComparison.Ordinal);

        var start = new ProcessStartInfo(promtool!) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add("metrics");
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        string output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0 && output.Trim().Length == 0, $"promtool check metrics:\n{output}\n--- exposition ---\n{text}");
    }
}
