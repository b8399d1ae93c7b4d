using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>
/// One provider of an application's configuration seen through one of its sections: the keys under the section
/// (for example <c>Maran:monitoring:metrics_port</c>) become the keys of the options (<c>monitoring:metrics_port</c>),
/// and each key's origin is the provider's own name for itself (<c>appsettings.json</c>, an environment variable).
/// </summary>
internal sealed class SectionProvider : ConfigurationProvider, IConfigurationOrigin, IConfigurationEntries
{
    private readonly string _section;
    private readonly string _origin;
    private readonly bool _environment;

    private SectionProvider(IConfigurationProvider inner, string section)
    {
        _section = section;
        string name = inner.ToString() ?? inner.GetType().Name;
        _environment = inner.GetType().Name.Contains("EnvironmentVariables", StringComparison.Ordinal);

        // A file provider names its file in quotes; the environment provider quotes its prefix (often empty).
        _origin = Quoted(name) ?? (_environment ? string.Empty : name);
        Copy(inner, section, prefix: null);
    }

    public IEnumerable<KeyValuePair<string, string?>> Entries => Data;

    /// <summary>
    /// The providers of <paramref name="configuration"/>, each restricted to <paramref name="section"/>; a configuration
    /// that does not show its providers (a section handed on alone) counts as one provider named <c>configuration</c>.
    /// </summary>
    public static IConfigurationRoot Over(IConfiguration configuration, string section)
    {
        IEnumerable<IConfigurationProvider> providers = configuration is IConfigurationRoot root
            ? root.Providers
            : [new FlatProvider(configuration)];
        var builder = new ConfigurationBuilder();
        foreach (IConfigurationProvider provider in providers)
        {
            var restricted = new SectionProvider(provider, section);
            builder.Add(new Source(restricted));
        }

        return builder.Build();
    }

    public string? Describe(string key)
    {
        if (!Data.ContainsKey(key))
        {
            return null;
        }

        return _environment
            ? "environment variable " + _origin + (_section + ConfigurationPath.KeyDelimiter + key).Replace(ConfigurationPath.KeyDelimiter, "__", StringComparison.Ordinal)
            : _origin;
    }

    // The data is copied once; a reload of the application's configuration is not followed.
    public override void Load()
    {
    }

    /// <summary>The text between the first pair of quotes (<c>appsettings.json</c> of <c>JsonConfigurationProvider for 'appsettings.json' (Optional)</c>), or null when there is none.</summary>
    private static string? Quoted(string name)
    {
        int open = name.IndexOf('\'', StringComparison.Ordinal);
        int close = open < 0 ? -1 : name.IndexOf('\'', open + 1);
        return close > open + 1 ? name[(open + 1)..close] : null;
    }

    private void Copy(IConfigurationProvider inner, string parent, string? prefix)
    {
        foreach (string child in inner.GetChildKeys([], parent).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            string full = ConfigurationPath.Combine(parent, child);
            string key = prefix is null ? child : ConfigurationPath.Combine(prefix, child);
            if (inner.TryGet(full, out string? value))
            {
                Data[key] = value;
            }

            Copy(inner, full, key);
        }
    }

    /// <summary>Every key of a configuration as one provider.</summary>
    private sealed class FlatProvider : ConfigurationProvider
    {
        public FlatProvider(IConfiguration configuration)
        {
            foreach ((string key, string? value) in configuration.AsEnumerable())
            {
                Data[key] = value;
            }
        }

        public override string ToString() => "'configuration'";
    }

    private sealed class Source(SectionProvider provider) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => provider;
    }
}
