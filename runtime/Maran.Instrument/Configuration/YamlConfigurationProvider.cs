using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Maran.Instrument;

/// <summary>Where a configuration value came from, for error messages.</summary>
internal interface IConfigurationOrigin
{
    /// <summary>A description of where <paramref name="key"/> was set (for example <c>monitoring_config.yaml line 4</c>), or null if not here.</summary>
    string? Describe(string key);
}

/// <summary>Reads a YAML file into configuration keys, keeping the line of every key for error messages.</summary>
internal sealed class YamlConfigurationSource(string path, bool optional) : IConfigurationSource
{
    public string Path { get; } = path;

    public bool Optional { get; } = optional;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new YamlConfigurationProvider(this);
}

/// <inheritdoc cref="YamlConfigurationSource"/>
internal sealed class YamlConfigurationProvider(YamlConfigurationSource source) : ConfigurationProvider, IConfigurationOrigin
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.OrdinalIgnoreCase);

    public string FileName => Path.GetFileName(source.Path);

    public override void Load()
    {
        Data.Clear();
        _lines.Clear();
        if (!File.Exists(source.Path))
        {
            if (source.Optional)
            {
                return;
            }

            throw new MonitoringConfigurationException(
                [new ConfigurationError("MARAN_CONFIG", source.Path, "environment variable MARAN_CONFIG", "the configuration file does not exist")]);
        }

        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(source.Path);
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            string problem = (ex.InnerException?.Message ?? ex.Message).Trim();
            throw new MonitoringConfigurationException(
                [new ConfigurationError("(file)", null, $"{FileName} line {ex.Start.Line}, column {ex.Start.Column}", $"malformed YAML: {problem}")]);
        }

        if (stream.Documents.Count == 0)
        {
            return;
        }

        YamlNode root = stream.Documents[0].RootNode;
        if (root is YamlScalarNode { Value: null or "" or "~" })
        {
            return;
        }

        if (root is not YamlMappingNode)
        {
            throw new MonitoringConfigurationException(
                [new ConfigurationError("(file)", null, $"{FileName} line {root.Start.Line}", "the top level must be a mapping of sections such as 'monitoring:'")]);
        }

        Visit(root, prefix: null);
    }

    public string? Describe(string key) =>
        _lines.TryGetValue(key, out int line) ? $"{FileName} line {line}" : null;

    private void Visit(YamlNode node, string? prefix)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                if (mapping.Children.Count == 0 && prefix is not null)
                {
                    Set(prefix, null, node);
                }

                foreach ((YamlNode keyNode, YamlNode value) in mapping.Children)
                {
                    string key = ((keyNode as YamlScalarNode)?.Value ?? keyNode.ToString()).Trim();
                    string path = prefix is null ? key : ConfigurationPath.Combine(prefix, key);
                    _lines[path] = (int)keyNode.Start.Line;
                    Visit(value, path);
                }

                break;
            case YamlSequenceNode sequence:
                for (int i = 0; i < sequence.Children.Count; i++)
                {
                    string path = ConfigurationPath.Combine(prefix!, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    _lines[path] = (int)sequence.Children[i].Start.Line;
                    Visit(sequence.Children[i], path);
                }

                break;
            case YamlScalarNode scalar:
                bool isNull = scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "~" or "null" or "Null" or "NULL";
                Set(prefix!, isNull ? null : scalar.Value, node);
                break;
        }
    }

    private void Set(string key, string? value, YamlNode node)
    {
        Data[key] = value;
        _lines.TryAdd(key, (int)node.Start.Line);
    }
}
