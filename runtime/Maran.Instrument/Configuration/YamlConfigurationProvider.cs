using System.Globalization;
using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Maran.Instrument.Configuration;

/// <summary>Where a configuration value came from, for error messages.</summary>
internal interface IConfigurationOrigin
{
    /// <summary>A description of where <paramref name="key"/> was set (for example <c>monitoring_config.yaml line 4</c>), or null if not here.</summary>
    string? Describe(string key);
}

/// <summary>Reads a YAML file into configuration keys, keeping the line of every key for error messages.</summary>
/// <param name="path">The file.</param>
/// <param name="optional">Whether a missing file is no error (the default file looked for).</param>
/// <param name="pathOrigin">Where the path came from, named when the file does not exist.</param>
internal sealed class YamlConfigurationSource(string path, bool optional, string pathOrigin) : IConfigurationSource
{
    public string Path { get; } = path;

    public bool Optional { get; } = optional;

    public string PathOrigin { get; } = pathOrigin;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new YamlConfigurationProvider(this);
}

/// <inheritdoc cref="YamlConfigurationSource"/>
/// <remarks>
/// The file is read as a stream of parser events, without recursion and without building a node tree, within the
/// limits of <see cref="ConfigurationLimits"/>: its size, the nesting depth and the number of keys. Aliases
/// (<c>*name</c>) are refused rather than expanded: a configuration is a small tree that needs no reuse, and refusing
/// them closes every alias bomb at once, with no expansion budget to tune. One document only.
/// </remarks>
internal sealed class YamlConfigurationProvider(YamlConfigurationSource source) : ConfigurationProvider, IConfigurationOrigin, IConfigurationEntries
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.OrdinalIgnoreCase);

    public string FileName => Path.GetFileName(source.Path);

    public override void Load()
    {
        Data.Clear();
        _lines.Clear();
        string? text = ConfigurationFile.Read(source.Path);
        if (text is null)
        {
            if (source.Optional)
            {
                return;
            }

            throw new MonitoringConfigurationException(
                [new ConfigurationError("(file)", source.Path, source.PathOrigin, "the configuration file does not exist")]);
        }

        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<DocumentStart>(out _))
            {
                ReadDocument(parser);
                parser.Consume<DocumentEnd>();
                if (parser.Current is DocumentStart second)
                {
                    throw Problem(second.Start, "a second YAML document starts here; the file must hold one document only");
                }
            }

            parser.Consume<StreamEnd>();
        }
        catch (YamlException ex)
        {
            string problem = (ex.InnerException?.Message ?? ex.Message).Trim();
            throw new MonitoringConfigurationException(
                [new ConfigurationError("(file)", null, $"{FileName} line {ex.Start.Line}, column {ex.Start.Column}", $"malformed YAML: {problem}")]);
        }
        catch (Exception ex) when (ex is not MonitoringConfigurationException)
        {
            // The parser can fail on some malformed input with an exception of its own state (InvalidOperationException
            // on "[1|\n0]" in YamlDotNet 16.3): that is malformed YAML too, reported after the last event it read.
            long line = parser.Current?.End.Line ?? 1;
            throw new MonitoringConfigurationException(
                [new ConfigurationError("(file)", null, $"{FileName} line {line}", $"malformed YAML near this line (the parser stopped: {ex.Message})")]);
        }
    }

    public IEnumerable<KeyValuePair<string, string?>> Entries => Data;

    public string? Describe(string key) =>
        _lines.TryGetValue(key, out int line) ? $"{FileName} line {line}" : null;

    private void ReadDocument(IParser parser)
    {
        ParsingEvent first = parser.Consume<NodeEvent>();
        if (first is Scalar { Style: ScalarStyle.Plain } scalar && IsNull(scalar.Value))
        {
            return;
        }

        if (first is not MappingStart rootMapping)
        {
            throw Problem(first.Start, "the top level must be a mapping of sections such as 'monitoring:'", "(file)");
        }

        // One frame per open mapping or list, innermost last: the stack stands in for recursion.
        var open = new Stack<Frame>();
        open.Push(new Frame(null, IsMapping: true, (int)rootMapping.Start.Line));
        while (open.Count > 0)
        {
            ParsingEvent next = parser.Consume<ParsingEvent>();
            Frame frame = open.Peek();
            if (next is MappingEnd or SequenceEnd)
            {
                open.Pop();
                if (frame.Children == 0 && frame.Path is not null)
                {
                    Set(frame.Path, null, frame.Line, next.Start);
                }

                continue;
            }

            if (next is AnchorAlias alias)
            {
                throw Problem(alias.Start, $"aliases (*{alias.Value}) are not accepted; write the value out");
            }

            string path;
            if (frame.IsMapping && frame.PendingKey is null)
            {
                if (next is not Scalar key)
                {
                    throw Problem(next.Start, "a key must be a single value, not a list or a section");
                }

                string name = key.Value.Trim();
                path = frame.Path is null ? name : ConfigurationPath.Combine(frame.Path, name);
                if (!frame.Keys.Add(name))
                {
                    throw Problem(key.Start, $"the key '{ConfigurationLimits.Clip(name)}' appears twice in this section", Display(path));
                }

                _lines[path] = (int)key.Start.Line;
                frame.PendingKey = path;
                continue;
            }

            if (frame.IsMapping)
            {
                path = frame.PendingKey!;
                frame.PendingKey = null;
            }
            else
            {
                path = ConfigurationPath.Combine(frame.Path!, frame.Children.ToString(CultureInfo.InvariantCulture));
                _lines[path] = (int)next.Start.Line;
            }

            frame.Children++;
            switch (next)
            {
                case Scalar value:
                    bool isNull = value.Style == ScalarStyle.Plain && IsNull(value.Value) && value.Value.Length > 0;
                    Set(path, isNull ? null : value.Value, (int)value.Start.Line, value.Start);
                    break;
                case MappingStart or SequenceStart:
                    if (open.Count >= ConfigurationLimits.MaxDepth)
                    {
                        throw Problem(next.Start,
                            $"sections and lists nest deeper than {ConfigurationLimits.MaxDepth} levels, the limit (ConfigurationLimits.MaxDepth)",
                            Display(frame.Path ?? path));
                    }

                    open.Push(new Frame(path, next is MappingStart, (int)next.Start.Line));
                    break;
            }
        }
    }

    private static bool IsNull(string value) => value is "" or "~" or "null" or "Null" or "NULL";

    private void Set(string key, string? value, int line, Mark at)
    {
        if (Data.Count >= ConfigurationLimits.MaxKeys && !Data.ContainsKey(key))
        {
            throw Problem(at, $"the file sets more than {ConfigurationLimits.MaxKeys} keys, the limit (ConfigurationLimits.MaxKeys)", "(file)");
        }

        Data[key] = value;
        _lines.TryAdd(key, line);
    }

    private MonitoringConfigurationException Problem(Mark at, string message, string key = "(file)") =>
        new([new ConfigurationError(key, null, $"{FileName} line {at.Line}", message)]);

    private static string Display(string path) => OptionsBinder.Display(path);

    /// <summary>An open mapping or list: its key, whether it is a mapping, and what has been read of it.</summary>
    private sealed record Frame(string? Path, bool IsMapping, int Line)
    {
        public int Children { get; set; }

        public string? PendingKey { get; set; }

        public HashSet<string> Keys { get; } = new(StringComparer.OrdinalIgnoreCase);
    }
}
