using Maran.Instrument.Configuration;
using Maran.Instrument.Costs;
using Maran.Instrument.Health;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;
using Maran.Instrument.Tests.Export;

namespace Maran.Instrument.Integration.Tests.Export;

public class PrometheusScrapeTests
{
    private static readonly TimeSpan ScrapeWait = TimeSpan.FromSeconds(60);

    // A free metrics port, and no log files or database left in the test's folder.
    private static MonitoringOptions QuietOptions()
    {
        var options = new MonitoringOptions();
        options.Monitoring.MetricsPort = 0;
        options.Logging.Console = false;
        options.Logging.File = false;
        options.Storage.Enabled = false;
        return options;
    }

    [PrometheusFact]
    public async Task A_real_Prometheus_ingests_the_profilers_counts_and_the_health_score()
    {
        using var system = new AdvancedMonitoringSystem(QuietOptions());
        using var served = new ServedExporter(new FakeSources { Health = static () => new ExportedHealth { HealthScore = 87.5, CpuPercent = 20 } });
        string run = Guid.NewGuid().ToString("N")[..8];
        string generate = "generate_" + run, tool = "tool_" + run;
        PerformanceProfiler profiler = system.Profiler;
        for (int i = 0; i < 7; i++)
        {
            profiler.EndOperation(profiler.StartOperation(generate, "model"));
        }

        for (int i = 0; i < 2; i++)
        {
            profiler.EndOperation(profiler.StartOperation(generate, "model"), OperationStatus.Error, new TimeoutException("model timed out"));
        }

        for (int i = 0; i < 5; i++)
        {
            profiler.EndOperation(profiler.StartOperation(tool, "tools"));
        }

        served.Start();
        Uri endpoint = Assert.IsType<Uri>(served.Exporter.EndpointUrl);
        using PrometheusServer prometheus = PrometheusServer.Start(endpoint);

        var counts = await prometheus.QueryUntilAsync(
            $"operation_duration_seconds_count{{operation=~\"{generate}|{tool}\"}}", r => r.Count == 3, ScrapeWait);
        var health = await prometheus.QueryUntilAsync("system_health_score", r => r.Count > 0, ScrapeWait);

        OperationSummary generated = profiler.GetOperationSummary(generate, "model")!;
        OperationSummary tools = profiler.GetOperationSummary(tool, "tools")!;
        double Count(string operation, string status) =>
            Assert.Single(counts, c => c.Labels["operation"] == operation && c.Labels["status"] == status).Value;
        Assert.Equal(generated.Count - generated.Errors, Count(generate, "success"));
        Assert.Equal(generated.Errors, Count(generate, "error"));
        Assert.Equal(tools.Count, Count(tool, "success"));
        Assert.Equal(87.5, Assert.Single(health).Value);
    }

    [PrometheusFact]
    public async Task Promtool_finds_no_problem_in_the_endpoints_output()
    {
        using var system = new AdvancedMonitoringSystem(QuietOptions());
        var sources = new FakeSources();
        using var served = new ServedExporter(sources);
        sources.Health = static () => new ExportedHealth
        {
            HealthScore = 90,
            CpuPercent = 10,
            MemoryUsedBytes = 1 << 30,
            Gpus = [new ExportedGpu("0", 50, 1 << 20, 1 << 24, 60, 120)],
        };
        sources.Costs = static () => [new CostTotal("gpt-4o", "model", "input_tokens", 0.01)];
        PerformanceProfiler profiler = system.Profiler;
        profiler.EndOperation(profiler.StartOperation("lint", "agent"));
        profiler.EndOperation(profiler.StartOperation("lint", "agent"), OperationStatus.Error, new InvalidOperationException("bad"));
        UsageTelemetry.Record(OperationRegistry.GetOrAdd("lint_model", "model", model: "gpt-4o"), new TokenUsage(10, 2));
        served.Start();
        using var http = new HttpClient();
        string exposition = await http.GetStringAsync(served.Exporter.EndpointUrl);

        (int exitCode, string output) = Promtool.CheckMetrics(exposition);

        Assert.True(exitCode == 0 && output.Trim().Length == 0, $"promtool check metrics:\n{output}\n--- exposition ---\n{exposition}");
    }

    // The exporter over sources the test sets, served on a free loopback port like the system's endpoint.
    private sealed class ServedExporter : IDisposable
    {
        private readonly MetricsEndpoint _endpoint;

        public ServedExporter(FakeSources sources)
        {
            Exporter = new PrometheusExporter(static () => string.Empty, sources);
            _endpoint = new MetricsEndpoint(Exporter, static () => ("127.0.0.1", 0), static () => null);
        }

        public PrometheusExporter Exporter { get; }

        public void Start() => _endpoint.Start();

        public void Dispose() => _endpoint.Stop();
    }
}
