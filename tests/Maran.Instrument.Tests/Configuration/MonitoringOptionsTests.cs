using System.Collections;
using Maran.Instrument.Configuration;
using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Tests.Configuration;

public class MonitoringOptionsTests
{
    private static readonly Hashtable NoVariables = [];

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Configuration", "Fixtures", name);

    private static MonitoringConfigurationException LoadFails(string fixture, IDictionary? variables = null) =>
        Assert.Throws<MonitoringConfigurationException>(() => MonitoringOptions.Load(Fixture(fixture), variables ?? NoVariables));

    [Fact]
    public void Defaults_follow_the_seed()
    {
        var options = new MonitoringOptions();
        MonitoringSettings defaults = options.Monitoring;

        Assert.Equal((9090, 8080, 30.0), (defaults.MetricsPort, defaults.DashboardPort, defaults.HealthCheckInterval));
        Assert.Equal((80.0, 85.0, 90.0), (defaults.HealthThresholds["cpu_percent"], defaults.HealthThresholds["memory_percent"], defaults.HealthThresholds["disk_percent"]));
        Assert.Equal(MonitoringLogLevel.Info, defaults.LogLevel);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void A_yaml_file_sets_every_key_and_keeps_unset_defaults()
    {
        MonitoringSettings settings = MonitoringOptions.Load(Fixture("valid.yaml"), NoVariables).Monitoring;

        Assert.Equal((9191, 8181, 15.0), (settings.MetricsPort, settings.DashboardPort, settings.HealthCheckInterval));
        Assert.Equal(MonitoringLogLevel.Debug, settings.LogLevel);
        Assert.True(settings.CallTree);
        Assert.Equal((4, 0), (settings.Sampling.Rate, settings.Sampling.AllocationRate));
        Assert.Equal(70, settings.HealthThresholds["cpu_percent"]);
        Assert.Equal(85, settings.HealthThresholds["memory_percent"]);
        Assert.Equal(250, settings.HealthThresholds["queue_depth"]);
    }

    [Fact]
    public void Environment_variables_override_the_file()
    {
        var variables = new Hashtable
        {
            ["MARAN_METRICS_PORT"] = "9300",
            ["MARAN_DASHBOARD_PORT"] = "8300",
            ["MARAN_HEALTH_CHECK_INTERVAL"] = "5",
            ["MARAN_LOG_LEVEL"] = "warning",
            ["MARAN__monitoring__sampling__rate"] = "8",
        };

        MonitoringSettings settings = MonitoringOptions.Load(Fixture("valid.yaml"), variables).Monitoring;

        Assert.Equal((9300, 8300, 5.0), (settings.MetricsPort, settings.DashboardPort, settings.HealthCheckInterval));
        Assert.Equal(MonitoringLogLevel.Warning, settings.LogLevel);
        Assert.Equal(8, settings.Sampling.Rate);
    }

    [Fact]
    public void The_config_file_is_found_through_MARAN_CONFIG()
    {
        var variables = new Hashtable { ["MARAN_CONFIG"] = Fixture("valid.yaml") };

        Assert.Equal(9191, MonitoringOptions.Load(path: null, variables).Monitoring.MetricsPort);
    }

    [Fact]
    public void An_unknown_key_names_the_key_the_line_and_the_keys_that_exist()
    {
        MonitoringConfigurationException error = LoadFails("unknown-key.yaml");

        ConfigurationError problem = Assert.Single(error.Errors);
        Assert.Equal("monitoring.dashbord_port", problem.Key);
        Assert.Equal("unknown-key.yaml line 3", problem.Origin);
        Assert.Contains("dashboard_port", problem.Message, StringComparison.Ordinal);
        Assert.Contains("monitoring.dashbord_port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_the_key_the_value_and_the_line()
    {
        MonitoringConfigurationException error = LoadFails("wrong-type.yaml");

        Assert.Equal("wrong-type.yaml line 2: monitoring.metrics_port = 'ninety': expected a whole number", error.Errors.Single().ToString());
    }

    [Fact]
    public void A_negative_interval_is_rejected_with_its_key_and_line()
    {
        ConfigurationError problem = Assert.Single(LoadFails("negative-interval.yaml").Errors);

        Assert.Equal(("monitoring.health_check_interval", "-5", "negative-interval.yaml line 2"), (problem.Key, problem.Value, problem.Origin));
    }

    [Fact]
    public void A_percentage_threshold_over_100_is_rejected_with_its_key_and_line()
    {
        ConfigurationError problem = Assert.Single(LoadFails("threshold-over-100.yaml").Errors);

        Assert.Equal(("monitoring.health_thresholds.memory_percent", "140", "threshold-over-100.yaml line 4"), (problem.Key, problem.Value, problem.Origin));
    }

    [Fact]
    public void A_port_out_of_range_is_rejected_with_its_key_and_line()
    {
        ConfigurationError problem = Assert.Single(LoadFails("port-out-of-range.yaml").Errors);

        Assert.Equal(("monitoring.metrics_port", "70000", "port-out-of-range.yaml line 3"), (problem.Key, problem.Value, problem.Origin));
    }

    [Fact]
    public void Malformed_yaml_names_the_file_line_and_column()
    {
        ConfigurationError problem = Assert.Single(LoadFails("malformed.yaml").Errors);

        Assert.StartsWith("malformed.yaml line 3, column", problem.Origin, StringComparison.Ordinal);
        Assert.Contains("malformed YAML", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_value_where_a_section_belongs_is_rejected()
    {
        ConfigurationError problem = Assert.Single(LoadFails("value-where-section-belongs.yaml").Errors);

        Assert.Equal("monitoring.sampling", problem.Key);
        Assert.Contains("section", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_environment_variable_names_the_variable_and_the_key()
    {
        MonitoringConfigurationException error = LoadFails("valid.yaml", new Hashtable { ["MARAN_DASHBOARD_PORT"] = "eighty" });

        Assert.Equal("environment variable MARAN_DASHBOARD_PORT: monitoring.dashboard_port = 'eighty': expected a whole number", error.Errors.Single().ToString());
    }

    [Fact]
    public void A_bad_log_level_lists_the_accepted_levels()
    {
        MonitoringConfigurationException error = LoadFails("valid.yaml", new Hashtable { ["MARAN_LOG_LEVEL"] = "LOUD" });

        Assert.Contains("DEBUG, INFO, WARNING, ERROR, CRITICAL", error.Errors.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_named_by_MARAN_CONFIG_is_an_error()
    {
        MonitoringConfigurationException error = Assert.Throws<MonitoringConfigurationException>(
            () => MonitoringOptions.Load(path: null, new Hashtable { ["MARAN_CONFIG"] = Fixture("missing.yaml") }));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_fails_with_the_message_when_the_configuration_is_invalid()
    {
        var options = new MonitoringOptions();
        options.Monitoring.HealthCheckInterval = 0;
        options.Monitoring.DashboardPort = -1;
        using var system = new AdvancedMonitoringSystem(options);

        MonitoringConfigurationException error = Assert.Throws<MonitoringConfigurationException>(system.Start);

        Assert.Equal(2, error.Errors.Count);
        Assert.Contains("code: monitoring.health_check_interval = '0'", error.Message, StringComparison.Ordinal);
        Assert.Contains("code: monitoring.dashboard_port = '-1'", error.Message, StringComparison.Ordinal);
        Assert.False(system.IsRunning);
    }

    [Fact]
    public void Keys_of_a_provider_that_cannot_list_them_bind_too()
    {
        IConfigurationRoot root = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["monitoring:metrics_port"] = "9300", ["errors:in_app_include:1"] = "B", ["errors:in_app_include:0"] = "A" })
            .Build();
        var options = new MonitoringOptions();
        var binder = new OptionsBinder(root);

        binder.Bind(root, options, SettingsMetadata.MonitoringOptions);

        Assert.Empty(binder.Errors);
        Assert.Equal(9300, options.Monitoring.MetricsPort);
        Assert.Equal(["A", "B"], options.Errors.InAppInclude);
    }

    [Fact]
    public void Durations_accept_seconds_and_units()
    {
        Assert.True(OptionsBinder.TryParseDuration("90", out TimeSpan seconds));
        Assert.True(OptionsBinder.TryParseDuration("250ms", out TimeSpan milliseconds));
        Assert.True(OptionsBinder.TryParseDuration("5m", out TimeSpan minutes));
        Assert.True(OptionsBinder.TryParseDuration("00:00:30", out TimeSpan clock));
        Assert.False(OptionsBinder.TryParseDuration("soon", out _));

        Assert.Equal(
            (TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(250), TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(30)),
            (seconds, milliseconds, minutes, clock));
    }
}
