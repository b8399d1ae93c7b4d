using System.Collections;
using Maran.Instrument.Configuration;
using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Hosting;

/// <summary>The process environment the host's monitoring reads its <c>MARAN_*</c> variables from; tests hand in their own.</summary>
internal sealed class MaranEnvironment(IDictionary variables)
{
    public IDictionary Variables { get; } = variables;
}

/// <summary>
/// The sources the host's monitoring options are read from, later ones winning: <c>monitoring_config.yaml</c> (the
/// file <c>MARAN_CONFIG</c> names, else the one in the content root when present), then the <c>MARAN_*</c> variables,
/// then the <c>Maran</c> section of the application's configuration. Code (<c>AddMaranMonitoring(configure)</c>) is
/// applied after all three. Each key keeps its source, so a bad value is reported with the file and line, the
/// variable or the provider that set it.
/// </summary>
internal static class HostConfigurationSources
{
    /// <summary>The variable that names the configuration file, as in the standalone path.</summary>
    internal const string ConfigFileVariable = "MARAN_CONFIG";

    /// <summary>Builds the layered configuration; a file that cannot be read or parsed gives its problems in <paramref name="errors"/>.</summary>
    public static IConfigurationRoot Build(IConfiguration configuration, string section, string contentRoot, IDictionary environment, out IReadOnlyList<ConfigurationError> errors)
    {
        errors = [];
        var builder = new ConfigurationBuilder();
        if (ResolveFile(contentRoot, environment, out bool optional, out string origin) is { } file)
        {
            builder.Add(new YamlConfigurationSource(file, optional, origin));
        }

        builder.Add(new MaranEnvironmentConfigurationSource(environment));
        foreach (IConfigurationProvider provider in SectionProvider.Over(configuration, section).Providers)
        {
            builder.Add(new LoadedSource(provider));
        }

        try
        {
            return builder.Build();
        }
        catch (MonitoringConfigurationException ex)
        {
            errors = ex.Errors;
            return SectionProvider.Over(configuration, section);
        }
    }

    private static string? ResolveFile(string contentRoot, IDictionary environment, out bool optional, out string origin)
    {
        if (environment[ConfigFileVariable]?.ToString() is { Length: > 0 } configured)
        {
            optional = false;
            origin = "environment variable " + ConfigFileVariable;
            return Path.GetFullPath(configured, contentRoot);
        }

        optional = true;
        origin = "content root";
        string inContentRoot = Path.Combine(contentRoot, MonitoringOptions.DefaultFileName);
        return File.Exists(inContentRoot) ? inContentRoot : null;
    }

    /// <summary>A provider already holding its data (a section of the application's configuration), added as it is.</summary>
    private sealed class LoadedSource(IConfigurationProvider provider) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => provider;
    }
}
