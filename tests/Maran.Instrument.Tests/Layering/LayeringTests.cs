using System.Text.RegularExpressions;

namespace Maran.Instrument.Tests.Layering;

/// <summary>
/// The runtime's layers, read from its source: each file belongs to a layer by its folder (a few files by name),
/// and a file may use the types of its own layer and the layers below, never those above. The core assembly
/// references no feature package and none of their dependencies.
/// </summary>
public sealed partial class LayeringTests
{
    // Lowest first. The hot path holds what a monitored call touches: the recorders and scopes, the usage values
    // read from responses, the one-record-per-failure marker, and the ActivitySource and Meter it writes to.
    private static readonly string[] s_layers = ["hot path", "trackers", "alerts", "system"];

    private static readonly string[] s_hotPathFiles =
    [
        "Export/MaranTelemetry.cs", "Export/GenAITelemetry.cs", "Export/GenAIOperationInfo.cs", "Export/UsageTelemetry.cs",
        "Export/TokenTally.cs", "Export/LiveInstruments.cs", "Export/MetricLabels.cs",
        "Costs/TokenUsage.cs", "Costs/ITokenUsage.cs", "Errors/RecordedFailures.cs",
    ];

    // The figures the trackers hand the exporters.
    private static readonly string[] s_trackerFiles = ["Export/CostTotal.cs", "Export/ErrorCount.cs", "Export/ExportedHealth.cs"];

    private static readonly string[] s_featureDependencies =
    [
        "Maran.Instrument.Sqlite", "Maran.Instrument.Prometheus", "Maran.Instrument.Serilog", "Maran.Instrument.Email",
        "Maran.Instrument.Tokenizers", "Maran.Instrument.Dashboard", "Maran.Instrument.OpenTelemetry",
        "Microsoft.Data.Sqlite", "SQLitePCLRaw.core", "Serilog", "MailKit", "MimeKit", "BouncyCastle.Cryptography",
        "Microsoft.ML.Tokenizers", "Prometheus.NetStandard", "Google.Protobuf", "OpenTelemetry",
    ];

    [Fact]
    public void The_hot_path_uses_no_tracker_health_alert_exporter_or_system_type()
    {
        AssertNone(Violations("hot path"));
    }

    [Fact]
    public void Health_errors_and_costs_use_no_alert_exporter_or_system_type()
    {
        AssertNone(Violations("trackers"));
    }

    [Fact]
    public void Alerts_use_no_exporter_or_system_type()
    {
        AssertNone(Violations("alerts"));
    }

    [Fact]
    public void The_core_assembly_references_no_feature_package_nor_their_dependencies()
    {
        string[] referenced = [.. typeof(AdvancedMonitoringSystem).Assembly.GetReferencedAssemblies().Select(static a => a.Name!)];

        Assert.Empty(referenced.Intersect(s_featureDependencies, StringComparer.OrdinalIgnoreCase));
        Assert.Contains("Microsoft.Extensions.Configuration", referenced);
    }

    [Fact]
    public void The_core_source_names_no_type_of_a_feature_package()
    {
        string runtime = Path.Combine(RepositoryRoot(), "runtime");
        var featureTypes = new HashSet<string>(StringComparer.Ordinal);
        foreach (string project in Directory.GetDirectories(runtime).Where(static d => Path.GetFileName(d).StartsWith("Maran.Instrument.", StringComparison.Ordinal)))
        {
            foreach (string file in SourceFiles(project))
            {
                featureTypes.UnionWith(DeclaredTypes(File.ReadAllText(file)));
            }
        }

        List<string> found = [];
        foreach (string file in SourceFiles(Path.Combine(runtime, "Maran.Instrument")))
        {
            found.AddRange(UsedNames(File.ReadAllText(file)).Where(featureTypes.Contains).Select(n => $"{Path.GetFileName(file)} uses {n}"));
        }

        Assert.NotEmpty(featureTypes);
        AssertNone(found);
    }

    [Fact]
    public void A_layer_violation_is_found_when_a_lower_file_names_a_higher_type()
    {
        var files = new Dictionary<string, string>
        {
            ["Profiling/Scope.cs"] = "internal sealed class Scope { private AlertEngine? _engine; }",
            ["Alerts/AlertEngine.cs"] = "public sealed class AlertEngine { }",
        };

        Assert.Equal(["Profiling/Scope.cs uses AlertEngine (alerts)"], Violations("hot path", files));
    }

    private static void AssertNone(List<string> violations) => Assert.True(violations.Count == 0, string.Join("\n", violations));

    private static List<string> Violations(string layer) =>
        Violations(layer, SourceFiles(CoreDirectory()).ToDictionary(f => Path.GetRelativePath(CoreDirectory(), f).Replace('\\', '/'), File.ReadAllText));

    private static List<string> Violations(string layer, IReadOnlyDictionary<string, string> files)
    {
        int level = Array.IndexOf(s_layers, layer);
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string path, string text) in files)
        {
            foreach (string type in DeclaredTypes(text))
            {
                owner[type] = IsConfiguration(path) ? Configuration : LayerOf(path);
            }
        }

        var violations = new List<string>();
        foreach ((string path, string text) in files.Where(f => LayerOf(f.Key) == layer && !IsConfiguration(f.Key)).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            foreach (string name in UsedNames(text).Distinct().Order(StringComparer.Ordinal))
            {
                if (owner.TryGetValue(name, out string? other) && other != Configuration && Array.IndexOf(s_layers, other) > level)
                {
                    violations.Add($"{path} uses {name} ({other})");
                }
            }
        }

        return violations;
    }

    // The configuration (the Configuration folder and each part's settings) is read by every layer and checked by none:
    // the options hold every part's settings, and every part reads its own.
    private const string Configuration = "configuration";

    private static bool IsConfiguration(string path) =>
        path.StartsWith("Configuration/", StringComparison.Ordinal)
        || Path.GetFileName(path).EndsWith("Settings.cs", StringComparison.Ordinal)
        || Path.GetFileName(path).EndsWith("Options.cs", StringComparison.Ordinal);

    private static string LayerOf(string path)
    {
        if (s_hotPathFiles.Contains(path))
        {
            return "hot path";
        }

        if (s_trackerFiles.Contains(path))
        {
            return "trackers";
        }

        string folder = path.Contains('/', StringComparison.Ordinal) ? path[..path.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
        return folder switch
        {
            "Profiling" or "Diagnostics" or "Interop" => "hot path",
            "Health" or "Errors" or "Costs" or "Anomaly" => "trackers",
            "Alerts" => "alerts",
            _ when path.EndsWith("Attribute.cs", StringComparison.Ordinal) && folder.Length == 0 => "hot path",
            _ => "system",
        };
    }

    private static IEnumerable<string> DeclaredTypes(string text) =>
        Declaration().Matches(StripComments(text)).Select(static m => m.Groups["name"].Value);

    private static IEnumerable<string> UsedNames(string text)
    {
        string code = StripComments(text);
        HashSet<string> own = [.. DeclaredTypes(text)];
        return Identifier().Matches(code).Select(static m => m.Value).Where(n => !own.Contains(n));
    }

    private static string StripComments(string text) => Comment().Replace(text, " ");

    private static IEnumerable<string> SourceFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(static f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string CoreDirectory() => Path.Combine(RepositoryRoot(), "runtime", "Maran.Instrument");

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Maran.Instrument.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Maran.Instrument.sln) was not found above " + AppContext.BaseDirectory);
    }

    // Top-level declarations only (a file-scoped namespace puts them at the start of a line): nested types are private to their file.
    [GeneratedRegex(@"^(?:(?:public|internal|file|sealed|static|abstract|partial|readonly)\s+)*(?:class|struct|interface|enum|record(?:\s+struct|\s+class)?)\s+(?<name>[A-Z]\w*)", RegexOptions.Multiline)]
    private static partial Regex Declaration();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();

    // Line comments (XML docs among them), block comments and string literals: names there are not uses.
    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@?""(?:[^""\\\n]|\\.)*""", RegexOptions.Singleline)]
    private static partial Regex Comment();
}
