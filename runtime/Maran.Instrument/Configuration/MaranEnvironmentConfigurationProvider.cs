using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>
/// Reads the <c>MARAN_*</c> environment variables: the named ones (<c>MARAN_METRICS_PORT</c> and the like) and
/// the general form <c>MARAN__section__key</c>, where each double underscore steps one level down.
/// </summary>
internal sealed class MaranEnvironmentConfigurationSource(IDictionary variables) : IConfigurationSource
{
    /// <summary>Named variables and the keys they set.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Named = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["MARAN_LOG_LEVEL"] = "monitoring:log_level",
        ["MARAN_METRICS_PORT"] = "monitoring:metrics_port",
        ["MARAN_METRICS_HOST"] = "monitoring:metrics_host",
        ["MARAN_DASHBOARD_PORT"] = "monitoring:dashboard_port",
        ["MARAN_HEALTH_CHECK_INTERVAL"] = "monitoring:health_check_interval",
        ["MARAN_DATA_DIR"] = "monitoring:data_dir",
        ["MARAN_LOGS_DIR"] = "monitoring:logs_dir",
        ["MARAN_NVML_LIBRARY"] = "monitoring:health:nvml_library",
        ["MARAN_DASHBOARD_HOST"] = "dashboard:host",
        ["MARAN_DASHBOARD_TOKEN"] = "dashboard:token",
    };

    internal const string GeneralPrefix = "MARAN__";

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new MaranEnvironmentConfigurationProvider(variables);
}

/// <inheritdoc cref="MaranEnvironmentConfigurationSource"/>
internal sealed class MaranEnvironmentConfigurationProvider(IDictionary variables) : ConfigurationProvider, IConfigurationOrigin, IConfigurationEntries
{
    private readonly Dictionary<string, string> _origins = new(StringComparer.OrdinalIgnoreCase);

    public override void Load()
    {
        Data.Clear();
        _origins.Clear();
        foreach (DictionaryEntry entry in variables)
        {
            string name = entry.Key.ToString() ?? string.Empty;
            string? value = entry.Value?.ToString();
            if (MaranEnvironmentConfigurationSource.Named.TryGetValue(name, out string? key))
            {
                Data[key] = value;
                _origins[key] = name;
            }
            else if (name.StartsWith(MaranEnvironmentConfigurationSource.GeneralPrefix, StringComparison.Ordinal)
                     && name.Length > MaranEnvironmentConfigurationSource.GeneralPrefix.Length)
            {
                string path = name[MaranEnvironmentConfigurationSource.GeneralPrefix.Length..]
                    .Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
                Data[path] = value;
                _origins[path] = name;
            }
        }
    }

    public IEnumerable<KeyValuePair<string, string?>> Entries => Data;

    public string? Describe(string key) =>
        _origins.TryGetValue(key, out string? variable) ? $"environment variable {variable}" : null;
}
