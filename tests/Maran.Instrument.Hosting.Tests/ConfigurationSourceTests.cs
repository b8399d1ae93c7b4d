using Maran.Instrument.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Maran.Instrument.Hosting.Tests;

/// <summary>
/// Under the host the options come from <c>monitoring_config.yaml</c> in the content root, the <c>MARAN_*</c>
/// variables and the <c>Maran</c> section, in that order of rising precedence, with code last; a bad value from any
/// of them fails the host start naming its source.
/// </summary>
[Collection(DefaultSystemCollection.Name)]
public sealed class ConfigurationSourceTests : IDisposable
{
    private readonly string _contentRoot = Directory.CreateTempSubdirectory("maran-config-sources-").FullName;
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _section = new(StringComparer.Ordinal) { ["Maran:monitoring:metrics_port"] = "0" };

    public void Dispose() => Directory.Delete(_contentRoot, recursive: true);

    [Fact]
    public void The_yaml_file_in_the_content_root_sets_the_options()
    {
        WriteYaml("monitoring:\n  health_check_interval: 41\n");

        Assert.Equal(41, Options().Monitoring.HealthCheckInterval);
    }

    [Fact]
    public void The_MARAN_variables_set_the_options()
    {
        _environment["MARAN_HEALTH_CHECK_INTERVAL"] = "42";
        _environment["MARAN__storage__retention_days"] = "7";

        MonitoringOptions options = Options();

        Assert.Equal(42, options.Monitoring.HealthCheckInterval);
        Assert.Equal(7, options.Storage.RetentionDays);
    }

    [Fact]
    public void The_file_MARAN_CONFIG_names_is_read_instead_of_the_content_roots()
    {
        WriteYaml("monitoring:\n  health_check_interval: 41\n");
        string other = Path.Combine(_contentRoot, "other.yaml");
        File.WriteAllText(other, "monitoring:\n  health_check_interval: 47\n");
        _environment["MARAN_CONFIG"] = "other.yaml";

        Assert.Equal(47, Options().Monitoring.HealthCheckInterval);
    }

    [Theory]
    [InlineData(false, false, false, 41)]
    [InlineData(true, false, false, 42)]
    [InlineData(true, true, false, 43)]
    [InlineData(true, true, true, 44)]
    [InlineData(false, true, false, 43)]
    [InlineData(false, false, true, 44)]
    public void Code_beats_the_section_which_beats_the_variables_which_beat_the_file(bool variable, bool section, bool code, int expected)
    {
        WriteYaml("monitoring:\n  health_check_interval: 41\n  metrics_prefix: from_file\n");
        if (variable)
        {
            _environment["MARAN_HEALTH_CHECK_INTERVAL"] = "42";
        }

        if (section)
        {
            _section["Maran:monitoring:health_check_interval"] = "43";
        }

        MonitoringOptions options = Options(code ? o => o.Monitoring.HealthCheckInterval = 44 : null);

        Assert.Equal(expected, options.Monitoring.HealthCheckInterval);
        Assert.Equal("from_file", options.Monitoring.MetricsPrefix);
    }

    [Fact]
    public async Task A_bad_value_in_the_yaml_file_fails_the_host_start_naming_the_file_and_line()
    {
        WriteYaml("monitoring:\n  sampling:\n    rate: often\n");

        ConfigurationError error = await StartFailure();

        Assert.Equal(("monitoring.sampling.rate", "often"), (error.Key, error.Value));
        Assert.Equal("monitoring_config.yaml line 3", error.Origin);
    }

    [Fact]
    public async Task An_unknown_key_in_the_yaml_file_fails_the_host_start_naming_the_key_and_line()
    {
        WriteYaml("monitoring:\n  health_check_interval: 30\n  metrics_prot: 9100\n");

        ConfigurationError error = await StartFailure();

        Assert.Contains("metrics_prot", error.Message, StringComparison.Ordinal);
        Assert.Equal("monitoring_config.yaml line 3", error.Origin);
    }

    [Fact]
    public async Task Malformed_yaml_fails_the_host_start_naming_the_file()
    {
        WriteYaml("monitoring:\n  health_check_interval: [30\n");

        ConfigurationError error = await StartFailure();

        Assert.StartsWith("monitoring_config.yaml line", error.Origin, StringComparison.Ordinal);
        Assert.Contains("malformed YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_MARAN_variable_fails_the_host_start_naming_the_variable()
    {
        _environment["MARAN_HEALTH_CHECK_INTERVAL"] = "often";

        ConfigurationError error = await StartFailure();

        Assert.Equal(("monitoring.health_check_interval", "often"), (error.Key, error.Value));
        Assert.Equal("environment variable MARAN_HEALTH_CHECK_INTERVAL", error.Origin);
    }

    [Fact]
    public async Task A_missing_file_named_by_MARAN_CONFIG_fails_the_host_start_naming_the_variable()
    {
        _environment["MARAN_CONFIG"] = "missing.yaml";

        ConfigurationError error = await StartFailure();

        Assert.Equal(Path.Combine(_contentRoot, "missing.yaml"), error.Value);
        Assert.Equal("environment variable MARAN_CONFIG", error.Origin);
    }

    private void WriteYaml(string text) => File.WriteAllText(Path.Combine(_contentRoot, MonitoringOptions.DefaultFileName), text);

    private MonitoringOptions Options(Action<MonitoringOptions>? code = null) =>
        Host(code).Services.GetRequiredService<AdvancedMonitoringSystem>().Options;

    private async Task<ConfigurationError> StartFailure()
    {
        using IHost host = Host();
        var failure = await Assert.ThrowsAsync<MonitoringConfigurationException>(() => host.StartAsync());
        return Assert.Single(failure.Errors);
    }

    private IHost Host(Action<MonitoringOptions>? code = null)
    {
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _contentRoot });
        builder.Configuration.AddInMemoryCollection(_section);
        builder.Services.AddSingleton(new MaranEnvironment(_environment));
        builder.Services.AddMaranMonitoring(code);
        return builder.Build();
    }
}
