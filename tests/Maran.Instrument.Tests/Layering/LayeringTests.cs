using System.Text.RegularExpressions;

namespace Maran.Instrument.Tests.Layering;

/// <summary>
/// The runtime's layers, read from its source: each file's namespace names its layer, the namespace follows the
/// file's top folder, and a file may use the types and namespaces of its own layer and the layers below, never those
/// above. The core assembly references no feature package and none of their dependencies.
/// </summary>
public sealed partial class LayeringTests
{
    // Lowest first. The hot path holds what a monitored call touches: the recorders and scopes (Profiling), the
    // ActivitySource, Meter and usage values it writes (Telemetry), the warnings it may print and the native calls.
    private static readonly string[] s_layers = ["hot path", "trackers", "alerts", "system"];

    private static readonly Dictionary<string, string> s_namespaceLayers = new(StringComparer.Ordinal)
    {
        ["Maran.Instrument.Profiling"] = "hot path",
        ["Maran.Instrument.Telemetry"] = "hot path",
        ["Maran.Instrument.Diagnostics"] = "hot path",
        ["Maran.Instrument.Interop"] = "hot path",
        ["Maran.Instrument.Health"] = "trackers",
        ["Maran.Instrument.Errors"] = "trackers",
        ["Maran.Instrument.Costs"] = "trackers",
        ["Maran.Instrument.Anomaly"] = "trackers",
        ["Maran.Instrument.Alerts"] = "alerts",
        ["Maran.Instrument"] = "system",
        ["Maran.Instrument.Export"] = "system",
        ["Maran.Instrument.Logging"] = "system",
        ["Maran.Instrument.Audit"] = "system",
        ["Maran.Instrument.Security"] = "system",
        ["Maran.Instrument.Storage"] = "system",
        ["Maran.Instrument.Features"] = "system",
        ["Maran.Instrument.Configuration"] = Configuration,
    };

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
    public void Every_core_file_declares_the_namespace_of_its_top_folder_and_that_namespace_has_a_layer()
    {
        List<string> wrong = [];
        foreach ((string path, string text) in CoreFiles())
        {
            string expected = ExpectedNamespace(path);
            string? declared = NamespaceOf(text);
            if (declared != expected)
            {
                wrong.Add($"{path} declares {declared ?? "no namespace"}, not {expected}");
            }
            else if (!s_namespaceLayers.ContainsKey(declared))
            {
                wrong.Add($"{path}: the namespace {declared} belongs to no layer");
            }
        }

        AssertNone(wrong);
    }

    [Fact]
    public void A_layer_violation_is_found_when_a_lower_file_names_a_higher_type()
    {
        var files = new Dictionary<string, string>
        {
            ["Profiling/Scope.cs"] = "namespace Maran.Instrument.Profiling;\ninternal sealed class Scope { private AlertEngine? _engine; }",
            ["Alerts/AlertEngine.cs"] = "namespace Maran.Instrument.Alerts;\npublic sealed class AlertEngine { }",
        };

        Assert.Equal(["Profiling/Scope.cs uses AlertEngine (alerts)"], Violations("hot path", files));
    }

    [Fact]
    public void A_layer_violation_is_found_when_a_lower_file_imports_a_higher_namespace()
    {
        var files = new Dictionary<string, string>
        {
            ["Costs/CostLoop.cs"] = "using Maran.Instrument.Export;\nusing Maran.Instrument.Profiling;\nnamespace Maran.Instrument.Costs;\ninternal sealed class CostLoop { }",
        };

        Assert.Equal(["Costs/CostLoop.cs imports Maran.Instrument.Export (system)"], Violations("trackers", files));
    }

    private static void AssertNone(List<string> violations) => Assert.True(violations.Count == 0, string.Join("\n", violations));

    private static Dictionary<string, string> CoreFiles() =>
        SourceFiles(CoreDirectory()).ToDictionary(f => Path.GetRelativePath(CoreDirectory(), f).Replace('\\', '/'), File.ReadAllText);

    private static List<string> Violations(string layer) => Violations(layer, CoreFiles());

    private static List<string> Violations(string layer, IReadOnlyDictionary<string, string> files)
    {
        int level = Array.IndexOf(s_layers, layer);
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((_, string text) in files)
        {
            string fileLayer = LayerOf(NamespaceOf(text));
            foreach (string type in DeclaredTypes(text))
            {
                owner[type] = fileLayer;
            }
        }

        var violations = new List<string>();
        foreach ((string path, string text) in files.Where(f => LayerOf(NamespaceOf(f.Value)) == layer).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            foreach (string imported in Imports().Matches(text).Select(static m => m.Groups["name"].Value).Order(StringComparer.Ordinal))
            {
                if (s_namespaceLayers.TryGetValue(imported, out string? other) && Higher(other, level))
                {
                    violations.Add($"{path} imports {imported} ({other})");
                }
            }

            foreach (string name in UsedNames(text).Distinct().Order(StringComparer.Ordinal))
            {
                if (owner.TryGetValue(name, out string? other) && Higher(other, level))
                {
                    violations.Add($"{path} uses {name} ({other})");
                }
            }
        }

        return violations;
    }

    private static bool Higher(string other, int level) => other != Configuration && Array.IndexOf(s_layers, other) > level;

    // The configuration (every part's settings and the options that hold them) is read by every layer and checked by none.
    private const string Configuration = "configuration";

    private static string LayerOf(string? ns) => ns is not null && s_namespaceLayers.TryGetValue(ns, out string? layer) ? layer : "unknown";

    private static string ExpectedNamespace(string path) =>
        path.Contains('/', StringComparison.Ordinal) ? "Maran.Instrument." + path[..path.IndexOf('/', StringComparison.Ordinal)] : "Maran.Instrument";

    private static string? NamespaceOf(string text) => FileNamespace().Match(text) is { Success: true } m ? m.Groups["name"].Value : null;

    private static IEnumerable<string> DeclaredTypes(string text)
    {
        string code = StripComments(text);
        return Declaration().Matches(code).Concat(DelegateDeclaration().Matches(code)).Select(static m => m.Groups["name"].Value);
    }

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

    [GeneratedRegex(@"^(?:(?:public|internal|file)\s+)*delegate\s+[^;(]*?\s(?<name>[A-Z]\w*)\s*(?:<[^>]*>)?\s*\(", RegexOptions.Multiline)]
    private static partial Regex DelegateDeclaration();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^namespace\s+(?<name>[\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    [GeneratedRegex(@"^using\s+(?<name>[\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex Imports();

    // Line comments (XML docs among them), block comments and string literals: names there are not uses.
    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@?""(?:[^""\\\n]|\\.)*""", RegexOptions.Singleline)]
    private static partial Regex Comment();
}
