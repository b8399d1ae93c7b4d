using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Maran.Instrument.Configuration;
using Maran.Instrument.Costs;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Errors;
using Maran.Instrument.Health;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Tests.Export;

[Collection(RuntimeSwitches.Name)]
public class PrometheusExporterTests
{
    private static AdvancedMonitoringSystem NewSystem(Action<MonitoringSettings>? configure = null)
    {
        var options = new MonitoringOptions();
        options.Monitoring.MetricsPort = 0;
        options.Logging.Console = false;
        options.Logging.File = false;
        options.Storage.Enabled = false;
        configure?.Invoke(options.Monitoring);
        return new AdvancedMonitoringSystem(options);
    }

    private static string Unique(string name) => $"{name}_{Guid.NewGuid():N}"[..24];

    private static void Run(PerformanceProfiler profiler, string name, string component, int successes, int errors = 0, int cancellations = 0)
    {
        for (int i = 0; i < successes; i++)
        {
            profiler.EndOperation(profiler.StartOperation(name, component));
        }

        for (int i = 0; i < errors; i++)
        {
            profiler.EndOperation(profiler.StartOperation(name, component), OperationStatus.Error, new TimeoutException("slow"));
        }

        for (int i = 0; i < cancellations; i++)
        {
            profiler.EndOperation(profiler.StartOperation(name, component), OperationStatus.Cancelled);
        }
    }

    // Records one call of exactly `ticks` on the calling thread's cell, as the hot path would.
    private static void RecordCall(OperationRecorder recorder, long ticks)
    {
        RecorderCell cell = recorder.ThreadCell;
        cell.Started++;
        cell.Succeeded++;
        cell.RecordTimed(Stopwatch.GetTimestamp(), ticks, OperationStatus.Success);
    }

    [Fact]
    public async Task Each_operation_reports_its_calls_by_status_and_its_timed_calls_in_the_histogram()
    {
        using var system = NewSystem();
        string op = Unique("answer");
        Run(system.Profiler, op, "agent", successes: 5, errors: 2, cancellations: 1);

        Exposition scrape = await Exposition.ScrapeAsync(system.Prometheus.Registry);

        Assert.Equal(5, scrape.Value($"operation_calls_total{{operation=\"{op}\",component=\"agent\",kind=\"operation\",status=\"success\"}}"));
        Assert.Equal(2, scrape.Value($"operation_calls_total{{operation=\"{op}\",component=\"agent\",kind=\"operation\",status=\"error\"}}"));
        Assert.Equal(1, scrape.Value($"operation_calls_total{{operation=\"{op}\",component=\"agent\",kind=\"operation\",status=\"cancelled\"}}"));
        Assert.Equal(5, scrape.Value($"operation_duration_seconds_count{{operation=\"{op}\",component=\"agent\",kind=\"operation\",status=\"success\"}}"));
        Assert.Equal(2, scrape.Value($"operation_duration_seconds_count{{operation=\"{op}\",component=\"agent\",kind=\"operation\",status=\"error\"}}"));
        Assert.Equal(1, scrape.Value($"operation_duration_seconds_count{{operation=\"{op}\",component=\"agent\",kind=\"operation\",status=\"cancelled\"}}"));
        Assert.Equal(0, scrape.Value($"operation_in_flight{{operation=\"{op}\",component=\"agent\",kind=\"operation\"}}"));
    }

    [Fact]
    public async Task A_second_scrape_adds_only_the_calls_made_since_the_first()
    {
        using var system = NewSystem();
        string op = Unique("step");
        Run(system.Profiler, op, "agent", successes: 3);
        await Exposition.ScrapeAsync(system.Prometheus.Registry);

        Run(system.Profiler, op, "agent", successes: 4);
        Exposition second = await Exposition.ScrapeAsync(system.Prometheus.Registry);

        Assert.Equal(7, second.Value($"operation_duration_seconds_count{{operation=\"{op}\",component=\"agent\",kind=\"operation\",status=\"success\"}}"));
        Assert.Equal(7, second.Value($"operation_calls_total{{operation=\"{op}\",component=\"agent\",kind=\"operation\",status=\"success\"}}"));
    }

    [Fact]
    public async Task Durations_fall_in_the_le_buckets_that_hold_them_and_the_sum_is_within_a_sixteenth()
    {
        using var system = NewSystem();
        OperationRecorder recorder = OperationRegistry.GetOrAdd(Unique("timed"), "agent");
        long threeMs = Stopwatch.Frequency * 3 / 1000;
        long fortyMs = Stopwatch.Frequency * 40 / 1000;
        RecordCall(recorder, threeMs);
        RecordCall(recorder, threeMs);
        RecordCall(recorder, fortyMs);

        Exposition scrape = await Exposition.ScrapeAsync(system.Prometheus.Registry);

        string labels = $"operation=\"{recorder.Name}\",component=\"agent\",kind=\"operation\",status=\"success\"";
        Assert.Equal(0, scrape.Value($"operation_duration_seconds_bucket{{{labels},le=\"0.0025\"}}"));
        Assert.Equal(2, scrape.Value($"operation_duration_seconds_bucket{{{labels},le=\"0.005\"}}"));
        Assert.Equal(2, scrape.Value($"operation_duration_seconds_bucket{{{labels},le=\"0.025\"}}"));
        Assert.Equal(3, scrape.Value($"operation_duration_seconds_bucket{{{labels},le=\"0.05\"}}"));
        Assert.Equal(3, scrape.Value($"operation_duration_seconds_bucket{{{labels},le=\"+Inf\"}}"));
        double sum = scrape.Value($"operation_duration_seconds_sum{{{labels}}}")!.Value;
        Assert.InRange(sum, 0.046 * (1 - 0.0625), 0.046 * (1 + 0.0625));
    }

    [Fact]
    public async Task Health_gauges_are_absent_until_the_health_source_has_a_reading()
    {
        var sources = new FakeSources();
        var exporter = new PrometheusExporter(static () => string.Empty, sources);
        Exposition before = await Exposition.ScrapeAsync(exporter.Registry);
        Assert.False(before.Has("system_health_score"));
        Assert.False(before.Has("cpu_usage_percent"));

        sources.Health = () => new ExportedHealth
        {
            HealthScore = 91,
            CpuPercent = 12.5,
            MemoryUsedBytes = 4096,
            Gpus = [new ExportedGpu("0", UtilizationPercent: 40, MemoryUsedBytes: 1024, MemoryTotalBytes: 8192, TemperatureCelsius: 61, PowerWatts: 150)],
        };
        Exposition after = await Exposition.ScrapeAsync(exporter.Registry);

        Assert.Equal(91, after.Value("system_health_score"));
        Assert.Equal(12.5, after.Value("cpu_usage_percent"));
        Assert.Equal(4096, after.Value("memory_usage_bytes{scope=\"system\",operation=\"\",component=\"\"}"));
        Assert.Equal(40, after.Value("gpu_usage_percent{gpu=\"0\"}"));
        Assert.Equal(8192, after.Value("gpu_memory_total_bytes{gpu=\"0\"}"));
        Assert.Equal(61, after.Value("gpu_temperature_celsius{gpu=\"0\"}"));
        Assert.Equal(150, after.Value("gpu_power_watts{gpu=\"0\"}"));

        sources.Health = static () => null;
        Exposition gone = await Exposition.ScrapeAsync(exporter.Registry);
        Assert.False(gone.Has("system_health_score"));
        Assert.False(gone.Has("gpu_usage_percent"));
    }

    [Fact]
    public async Task The_health_monitors_latest_sample_is_exported_once_taken()
    {
        using var system = NewSystem();
        Assert.False((await Exposition.ScrapeAsync(system.Prometheus.Registry)).Has("system_health_score"));

        system.HealthMonitor.CheckNow();
        Exposition scrape = await Exposition.ScrapeAsync(system.Prometheus.Registry);

        HealthStatus latest = system.HealthMonitor.Latest!;
        Assert.Equal(latest.Score, scrape.Value("system_health_score"));
        Assert.Equal(latest.Snapshot[HealthMetrics.CpuPercent], scrape.Value("cpu_usage_percent"));
    }

    [Fact]
    public async Task Failures_are_counted_in_errors_total_by_exception_type_and_component_until_a_tracker_classifies_them()
    {
        using var system = NewSystem();
        var sources = new FakeSources();
        var exporter = new PrometheusExporter(static () => string.Empty, sources);
        string component = Unique("tools");
        Run(system.Profiler, "call", component, successes: 1, errors: 3);

        Exposition fromOperations = await Exposition.ScrapeAsync(exporter.Registry);
        Assert.Equal(3, fromOperations.Value($"errors_total{{type=\"System.TimeoutException\",category=\"unclassified\",component=\"{component}\",severity=\"error\"}}"));

        sources.Errors = () => [new ErrorCount("System.TimeoutException", "timeout", component, "high", 4)];
        Exposition tracked = await Exposition.ScrapeAsync(exporter.Registry);
        Assert.Equal(4, tracked.Value($"errors_total{{type=\"System.TimeoutException\",category=\"timeout\",component=\"{component}\",severity=\"high\"}}"));
    }

    [Fact]
    public async Task Token_usage_reported_by_a_model_call_is_counted_in_tokens_total_by_model_and_type()
    {
        using var system = NewSystem();
        string model = Unique("gpt");
        OperationRecorder recorder = OperationRegistry.GetOrAdd(Unique("generate"), "model", model: model);

        UsageTelemetry.Record(recorder, new TokenUsage(inputTokens: 120, outputTokens: 30, cachedInputTokens: 100));
        UsageTelemetry.Record(recorder, new TokenUsage(inputTokens: 10, outputTokens: 5));
        Exposition scrape = await Exposition.ScrapeAsync(system.Prometheus.Registry);

        Assert.Equal(130, scrape.Value($"tokens_total{{model=\"{model}\",type=\"input\"}}"));
        Assert.Equal(35, scrape.Value($"tokens_total{{model=\"{model}\",type=\"output\"}}"));
        Assert.Equal(100, scrape.Value($"tokens_total{{model=\"{model}\",type=\"cached\"}}"));
    }

    [Fact]
    public async Task Costs_come_from_the_cost_source_by_model_component_and_resource_type()
    {
        var exporter = new PrometheusExporter(static () => string.Empty, new FakeSources { Costs = static () => [new CostTotal("gpt-4o", "model", "output_tokens", 0.25)] });

        Exposition scrape = await Exposition.ScrapeAsync(exporter.Registry);

        Assert.Equal(0.25, scrape.Value("total_cost_usd{model=\"gpt-4o\",component=\"model\",resource_type=\"output_tokens\"}"));
    }

    [Fact]
    public async Task Every_metric_name_but_target_info_carries_the_configured_prefix()
    {
        using var system = NewSystem(m => m.MetricsPrefix = "maran_");
        string op = Unique("pref");
        Run(system.Profiler, op, "agent", successes: 1);

        Exposition scrape = await Exposition.ScrapeAsync(system.Prometheus.Registry);

        Assert.Equal(1, scrape.Value($"maran_operation_duration_seconds_count{{operation=\"{op}\",component=\"agent\",kind=\"operation\",status=\"success\"}}"));
        Assert.DoesNotContain(scrape.Samples.Keys, k => !k.StartsWith("maran_", StringComparison.Ordinal) && !k.StartsWith("target_info{", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_long_user_supplied_operation_name_is_cut_and_quotes_in_it_are_escaped()
    {
        using var system = NewSystem();
        string name = "say \"hi\" " + new string('x', 300) + Guid.NewGuid().ToString("N");
        Run(system.Profiler, name, "agent", successes: 1);

        Exposition scrape = await Exposition.ScrapeAsync(system.Prometheus.Registry);

        string cut = name[..PrometheusMetricSet.MaxLabelLength].Replace("\"", "\\\"", StringComparison.Ordinal);
        Assert.Equal(1, scrape.Value($"operation_calls_total{{operation=\"{cut}\",component=\"agent\",kind=\"operation\",status=\"success\"}}"));
    }

    [Fact]
    public void An_invalid_prefix_is_a_configuration_error_naming_the_key()
    {
        var options = new MonitoringOptions();
        options.Monitoring.MetricsPrefix = "9bad-prefix";

        ConfigurationError error = Assert.Single(options.Validate());

        Assert.Equal("monitoring.metrics_prefix", error.Key);
    }

    [Fact]
    public async Task Port_zero_serves_metrics_on_a_free_loopback_port_until_stop()
    {
        using var system = NewSystem();
        string op = Unique("served");
        Run(system.Profiler, op, "agent", successes: 2);

        system.Start();
        Uri url = Assert.IsType<Uri>(system.Prometheus.EndpointUrl);
        using var http = new HttpClient();
        HttpResponseMessage response = await http.GetAsync(url);
        string body = await response.Content.ReadAsStringAsync();
        system.Stop();

        Assert.Equal("127.0.0.1", url.Host);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, Exposition.Parse(body).Value($"operation_calls_total{{operation=\"{op}\",component=\"agent\",kind=\"operation\",status=\"success\"}}"));
        Assert.Null(system.Prometheus.EndpointUrl);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(url));
    }

    [Fact]
    public void A_taken_port_is_reported_with_the_port_and_the_setting_and_monitoring_carries_on()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var system = NewSystem(m => m.MetricsPort = port);

        system.Start();

        Assert.True(system.IsRunning);
        Assert.Null(system.Prometheus.EndpointUrl);
        string problem = Assert.IsType<string>(system.Prometheus.EndpointProblem);
        Assert.Contains($"127.0.0.1:{port}", problem);
        Assert.Contains("monitoring.metrics_port", problem);
        Assert.Contains("MARAN_METRICS_PORT", problem);
    }

    [Fact]
    public async Task With_metrics_host_star_the_endpoint_listens_on_every_interface()
    {
        using var system = NewSystem(m => m.MetricsHost = "*");
        string op = Unique("everywhere");
        Run(system.Profiler, op, "agent", successes: 1);

        system.Start();
        Uri url = Assert.IsType<Uri>(system.Prometheus.EndpointUrl);
        using var http = new HttpClient();
        string body = await http.GetStringAsync($"http://127.0.0.1:{url.Port}/metrics");
        system.Stop();

        Assert.Equal("0.0.0.0", url.Host);
        Assert.Equal(1, Exposition.Parse(body).Value($"operation_calls_total{{operation=\"{op}\",component=\"agent\",kind=\"operation\",status=\"success\"}}"));
    }

    [Theory]
    [InlineData("my-host.example")]
    [InlineData("")]
    public void A_metrics_host_that_is_no_address_is_a_configuration_error_naming_the_key(string host)
    {
        var options = new MonitoringOptions();
        options.Monitoring.MetricsHost = host;

        ConfigurationError error = Assert.Single(options.Validate());

        Assert.Equal("monitoring.metrics_host", error.Key);
    }

    [Fact]
    public async Task Past_the_operation_limit_operations_that_ran_keep_their_slots_and_the_rest_are_counted_once_as_dropped()
    {
        using var system = NewSystem(m => m.MetricsMaxOperations = OperationRegistry.All.Count(o => o.IsUsed) + 2);
        string first = Unique("slot_first"), second = Unique("slot_second"), late = Unique("slot_late"), idle = Unique("slot_idle");
        OperationRegistry.GetOrAdd(idle, "limits");
        Run(system.Profiler, first, "limits", successes: 1);
        Run(system.Profiler, second, "limits", successes: 1);
        system.Start();
        Uri url = Assert.IsType<Uri>(system.Prometheus.EndpointUrl);
        using var http = new HttpClient();
        await http.GetStringAsync(url);
        long droppedBefore = MonitoringDiagnostics.Dropped.GetValueOrDefault("prometheus series");

        Run(system.Profiler, late, "limits", successes: 1);
        Run(system.Profiler, first, "limits", successes: 1);
        Exposition body = Exposition.Parse(await http.GetStringAsync(url));
        await http.GetStringAsync(url);
        system.Stop();

        Assert.Equal(2, body.Value($"operation_calls_total{{operation=\"{first}\",component=\"limits\",kind=\"operation\",status=\"success\"}}"));
        Assert.Equal(1, body.Value($"operation_calls_total{{operation=\"{second}\",component=\"limits\",kind=\"operation\",status=\"success\"}}"));
        Assert.Null(body.Value($"operation_calls_total{{operation=\"{late}\",component=\"limits\",kind=\"operation\",status=\"success\"}}"));
        Assert.Equal(droppedBefore + 1, MonitoringDiagnostics.Dropped["prometheus series"]);
    }

    [Fact]
    public void The_operation_limit_must_publish_at_least_one_operation()
    {
        var options = new MonitoringOptions();
        options.Monitoring.MetricsMaxOperations = 0;

        Assert.Equal("monitoring.metrics_max_operations", Assert.Single(options.Validate()).Key);
    }
}
