using Maran.Instrument.Configuration;
using Maran.Instrument.Export;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Tests.Export;

/// <summary>The fleet series of <c>/metrics</c>: who the process is (<c>target_info</c>) and how full it is (saturation).</summary>
[Collection(RuntimeSwitches.Name)]
public sealed class SaturationMetricsTests
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

    [Fact]
    public async Task Target_info_names_the_service_and_instance_with_the_value_1()
    {
        using var system = NewSystem(s =>
        {
            s.Service = "svc";
            s.Instance = "inst-1";
        });
        ServiceIdentity identity = system.Identity;

        Exposition scrape = await Exposition.ScrapeAsync(system.Prometheus.Registry);

        Assert.Equal(1, scrape.Value(
            $"target_info{{service_name=\"{identity.ServiceName}\",service_instance_id=\"{identity.InstanceId}\",deployment_environment=\"{identity.Environment}\"}}"));
    }

    [Fact]
    public async Task Target_info_keeps_its_name_under_a_metrics_prefix()
    {
        using var system = NewSystem(s => s.MetricsPrefix = "maran_");

        Exposition scrape = await Exposition.ScrapeAsync(system.Prometheus.Registry);

        Assert.Contains("# TYPE target_info gauge", scrape.Text, StringComparison.Ordinal);
        Assert.Contains("# TYPE maran_maran_saturation_ratio gauge", scrape.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operation_with_a_limit_reports_its_in_flight_share_of_it()
    {
        string op = Unique("answer");
        using var system = NewSystem(s => s.ConcurrencyLimits[op] = 4);
        OperationToken first = system.Profiler.StartOperation(op, "agent");
        OperationToken second = system.Profiler.StartOperation(op, "agent");
        OperationToken third = system.Profiler.StartOperation(op, "agent");
        system.Profiler.EndOperation(third);

        Exposition scrape = await Exposition.ScrapeAsync(system.Prometheus.Registry);

        string labels = $"{{operation=\"{op}\",component=\"agent\",kind=\"operation\"}}";
        Assert.Equal(2, scrape.Value("operation_in_flight" + labels));
        Assert.Equal(4, scrape.Value("operation_concurrency_limit" + labels));
        Assert.Equal(0.5, scrape.Value("operation_saturation_ratio" + labels));
        system.Profiler.EndOperation(first);
        system.Profiler.EndOperation(second);
    }

    [Fact]
    public async Task An_operation_without_a_limit_has_no_saturation_series()
    {
        string op = Unique("plain");
        using var system = NewSystem();
        system.Profiler.EndOperation(system.Profiler.StartOperation(op, "agent"));

        Exposition scrape = await Exposition.ScrapeAsync(system.Prometheus.Registry);

        Assert.DoesNotContain(scrape.Samples.Keys, k => k.StartsWith("operation_saturation_ratio", StringComparison.Ordinal) && k.Contains(op, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_process_saturation_is_its_operations_in_flight_over_the_process_limit()
    {
        string op = Unique("work");
        using var system = NewSystem(s => s.ConcurrencyLimit = 1000);
        OperationToken[] held = [.. Enumerable.Range(0, 10).Select(_ => system.Profiler.StartOperation(op, "agent"))];

        Exposition during = await Exposition.ScrapeAsync(system.Prometheus.Registry);

        Assert.Equal(1000, during.Value("maran_concurrency_limit"));
        double inFlight = during.Value("maran_in_flight")!.Value;
        Assert.True(inFlight >= 10, $"{inFlight} in flight while 10 are held");
        Assert.Equal(inFlight / 1000, during.Value("maran_saturation_ratio")!.Value, 9);
        foreach (OperationToken token in held)
        {
            system.Profiler.EndOperation(token);
        }
    }

    [Fact]
    public async Task Without_a_process_limit_the_saturation_ratio_is_absent()
    {
        using var system = NewSystem();

        Exposition scrape = await Exposition.ScrapeAsync(system.Prometheus.Registry);

        Assert.True(scrape.Samples.ContainsKey("maran_in_flight"));
        Assert.False(scrape.Samples.ContainsKey("maran_saturation_ratio"));
        Assert.False(scrape.Samples.ContainsKey("maran_concurrency_limit"));
    }

    [Fact]
    public void A_concurrency_limit_out_of_range_is_a_configuration_error_naming_the_operation()
    {
        var options = new MonitoringOptions();
        options.Monitoring.ConcurrencyLimits["answer"] = 0;
        options.Monitoring.ConcurrencyLimit = -1;

        IReadOnlyList<ConfigurationError> errors = options.Validate();

        Assert.Contains(errors, e => e.Key.Replace(':', '.') == "monitoring.concurrency_limits.answer");
        Assert.Contains(errors, e => e.Key.Replace(':', '.') == "monitoring.concurrency_limit");
    }
}
