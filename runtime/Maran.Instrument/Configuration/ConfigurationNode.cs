using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>The keys of a provider, listed in one pass, so the tree of a configuration is built without asking for the children of each section.</summary>
internal interface IConfigurationEntries
{
    /// <summary>Every key the provider holds (colon-separated) with its value.</summary>
    IEnumerable<KeyValuePair<string, string?>> Entries { get; }
}

/// <summary>
/// One key of a configuration and the keys under it, built once from every provider (later ones win), so binding
/// N keys costs O(N log N): asking <see cref="IConfiguration"/> for the children of each section scans every key each
/// time, which made 10,000 list items take seconds. Children are ordered as configuration orders them (numbers by value).
/// </summary>
internal sealed class ConfigurationNode
{
    private SortedDictionary<string, ConfigurationNode>? _children;

    private ConfigurationNode(string key, string path)
    {
        Key = key;
        Path = path;
    }

    /// <summary>The last segment of the key.</summary>
    public string Key { get; }

    /// <summary>The whole key, colon-separated.</summary>
    public string Path { get; }

    /// <summary>The value set at this key, or null.</summary>
    public string? Value { get; private set; }

    /// <summary>The keys one level down.</summary>
    public IEnumerable<ConfigurationNode> Children => _children?.Values ?? Enumerable.Empty<ConfigurationNode>();

    /// <summary>Whether there is any key below this one.</summary>
    public bool HasChildren => _children is { Count: > 0 };

    /// <summary>The tree of every key of <paramref name="root"/>'s providers.</summary>
    public static ConfigurationNode Build(IConfigurationRoot root)
    {
        var top = new ConfigurationNode(string.Empty, string.Empty);
        foreach (IConfigurationProvider provider in root.Providers)
        {
            IEnumerable<KeyValuePair<string, string?>> entries = provider is IConfigurationEntries listed ? listed.Entries : Walk(provider, parent: null);
            foreach ((string key, string? value) in entries)
            {
                top.Add(key, value);
            }
        }

        return top;
    }

    private void Add(string key, string? value)
    {
        ConfigurationNode node = this;
        foreach (string segment in key.Split(ConfigurationPath.KeyDelimiter))
        {
            node._children ??= new SortedDictionary<string, ConfigurationNode>(ConfigurationKeyComparer.Instance);
            if (!node._children.TryGetValue(segment, out ConfigurationNode? child))
            {
                child = new ConfigurationNode(segment, node.Path.Length == 0 ? segment : ConfigurationPath.Combine(node.Path, segment));
                node._children.Add(segment, child);
            }

            node = child;
        }

        node.Value = value;
    }

    // A provider that cannot list its keys is walked through its child keys: slower, but any provider binds.
    private static IEnumerable<KeyValuePair<string, string?>> Walk(IConfigurationProvider provider, string? parent)
    {
        foreach (string key in provider.GetChildKeys([], parent).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            string path = parent is null ? key : ConfigurationPath.Combine(parent, key);
            if (provider.TryGet(path, out string? value))
            {
                yield return new(path, value);
            }

            foreach (KeyValuePair<string, string?> below in Walk(provider, path))
            {
                yield return below;
            }
        }
    }
}
