using Maran.Instrument.Configuration;
using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Hosting.Tests;

/// <summary>The <c>Maran</c> section of an application's configuration binds like <c>monitoring_config.yaml</c>, with the same checks.</summary>
public sealed class SectionBindingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("maran-section-").FullName;

    [Fact]
    public void Keys_under_the_section_from_appsettings_json_and_the_environment_set_the_options()
    {
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), """
            { "Maran": { "monitoring": { "metrics_port": 9311, "health_thresholds": { "cpu_percent": 70 } }, "storage": { "enabled": false } },
              "Other": { "monitoring": { "metrics_port": 1 } } }
            """);
        IConfigurationRoot configuration = new ConfigurationBuilder()
            .SetBasePath(_folder)
            .AddJsonFile("appsettings.json")
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Maran:monitoring:dashboard_port"] = "8181" })
            .Build();

        MonitoringOptions options = MonitoringOptions.Load(configuration, "Maran");

        Assert.Equal(9311, options.Monitoring.MetricsPort);
        Assert.Equal(8181, options.Monitoring.DashboardPort);
        Assert.Equal(70, options.Monitoring.HealthThresholds["cpu_percent"]);
        Assert.False(options.Storage.Enabled);
    }

    [Fact]
    public void An_unknown_key_in_appsettings_json_is_an_error_naming_the_key_and_the_file()
    {
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), """{ "Maran": { "monitoring": { "metrics_prot": 9311 } } }""");
        IConfigurationRoot configuration = new ConfigurationBuilder().SetBasePath(_folder).AddJsonFile("appsettings.json").Build();

        var failure = Assert.Throws<MonitoringConfigurationException>(() => MonitoringOptions.Load(configuration, "Maran"));

        ConfigurationError error = Assert.Single(failure.Errors);
        Assert.Equal("monitoring.metrics_prot", error.Key);
        Assert.Equal("appsettings.json", error.Origin);
        Assert.Contains("unknown key 'metrics_prot'", error.Message, StringComparison.Ordinal);
        Assert.Contains("metrics_port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_value_names_the_value_and_the_provider_that_set_it_last()
    {
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), """{ "Maran": { "monitoring": { "metrics_port": 9311 } } }""");
        File.WriteAllText(Path.Combine(_folder, "appsettings.Production.json"), """{ "Maran": { "monitoring": { "metrics_port": 70000 } } }""");
        IConfigurationRoot configuration = new ConfigurationBuilder()
            .SetBasePath(_folder)
            .AddJsonFile("appsettings.json")
            .AddJsonFile("appsettings.Production.json")
            .Build();

        var failure = Assert.Throws<MonitoringConfigurationException>(() => MonitoringOptions.Load(configuration, "Maran"));

        ConfigurationError error = Assert.Single(failure.Errors);
        Assert.Equal(("monitoring.metrics_port", "70000", "appsettings.Production.json"), (error.Key, error.Value, error.Origin));
        Assert.Contains("appsettings.Production.json: monitoring.metrics_port = '70000'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_from_an_environment_variable_names_the_variable()
    {
        string prefix = $"MARAN_SECTION_TEST_{Environment.ProcessId}_";
        Environment.SetEnvironmentVariable(prefix + "Maran__monitoring__health_check_interval", "soon");
        IConfigurationRoot configuration;
        try
        {
            configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "Maran__monitoring__health_check_interval", null);
        }

        var failure = Assert.Throws<MonitoringConfigurationException>(() => MonitoringOptions.Load(configuration, "Maran"));

        ConfigurationError error = Assert.Single(failure.Errors);
        Assert.Equal($"environment variable {prefix}Maran__monitoring__health_check_interval", error.Origin);
        Assert.Equal("soon", error.Value);
    }

    [Fact]
    public void Without_the_section_the_options_are_the_defaults()
    {
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Debug" }).Build();

        MonitoringOptions options = MonitoringOptions.Load(configuration, "Maran");

        Assert.Equal(new MonitoringOptions().Monitoring.MetricsPort, options.Monitoring.MetricsPort);
        Assert.Empty(options.Validate());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
