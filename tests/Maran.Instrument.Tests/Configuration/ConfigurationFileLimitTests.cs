using System.Collections;
using Maran.Instrument.Configuration;

namespace Maran.Instrument.Tests.Configuration;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConfigurationLimitsCollection
{
    /// <summary>Tests that change <see cref="ConfigurationLimits.MaxFileBytes"/>, which every load in the process reads.</summary>
    public const string Name = "configuration limits";
}

[Collection(ConfigurationLimitsCollection.Name)]
public sealed class ConfigurationFileLimitTests
{
    [Fact]
    public void The_file_size_limit_set_in_code_applies_to_the_next_load()
    {
        string file = Path.Combine(Path.GetTempPath(), $"maran-limit-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, "monitoring:\n  metrics_port: 9191\n" + new string('#', 2_000) + "\n");
        try
        {
            ConfigurationLimits.MaxFileBytes = 1_024;

            MonitoringConfigurationException error = Assert.Throws<MonitoringConfigurationException>(() => MonitoringOptions.Load(file, new Hashtable()));

            Assert.Contains("over the limit of 1024 bytes", error.Message, StringComparison.Ordinal);
            ConfigurationLimits.MaxFileBytes = 4_096;
            Assert.Equal(9191, MonitoringOptions.Load(file, new Hashtable()).Monitoring.MetricsPort);
        }
        finally
        {
            ConfigurationLimits.MaxFileBytes = ConfigurationLimits.DefaultMaxFileBytes;
            File.Delete(file);
        }
    }

    [Fact]
    public void A_file_size_limit_below_one_byte_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ConfigurationLimits.MaxFileBytes = 0);
}
