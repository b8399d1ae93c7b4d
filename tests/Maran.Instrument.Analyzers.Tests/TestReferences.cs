using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;

namespace Maran.Instrument.Analyzers.Tests;

/// <summary>
/// What the test compilations reference: this process's own framework assemblies and the Maran.Instrument runtime, and,
/// per test, the real inference libraries restored with this project. Nothing is downloaded while the tests run.
/// </summary>
internal static class TestReferences
{
    public const string InterceptorsNamespace = "Maran.Instrument.Generated";

    /// <summary>No reference-assembly package: the testing library resolves nothing, so it never goes to NuGet.</summary>
    public static readonly ReferenceAssemblies NoPackages = new("net10.0");

    // The shared framework's folder: TRUSTED_PLATFORM_ASSEMBLIES also lists this project's own package assemblies.
    private static readonly string s_frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_framework = new(() =>
    [
        .. Directory.GetFiles(s_frameworkDirectory, "*.dll")
            .Where(p => Path.GetFileName(p) is var name
                        && (name.StartsWith("System.", StringComparison.Ordinal) || name is "mscorlib.dll" or "netstandard.dll" or "Microsoft.Win32.Primitives.dll"))
            .Order(StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)),
        MetadataReference.CreateFromFile(typeof(MonitorOperationAttribute).Assembly.Location),
    ]);

    /// <summary>The framework and the Maran.Instrument runtime.</summary>
    public static ImmutableArray<MetadataReference> Framework => s_framework.Value;

    /// <summary>Assemblies of the inference libraries, by file name, from this test's output folder.</summary>
    public static ImmutableArray<MetadataReference> Libraries(params string[] fileNames) =>
        [.. fileNames.Select(f => (MetadataReference)MetadataReference.CreateFromFile(Path.Combine(AppContext.BaseDirectory, f)))];

    public static readonly string[] ExtensionsAI = ["Microsoft.Extensions.AI.Abstractions.dll", "Microsoft.Extensions.AI.dll"];

    /// <summary>
    /// Every assembly restored with this project that the framework does not already provide: the inference libraries
    /// (OpenAI, Semantic Kernel, OllamaSharp, LLamaSharp, ONNX Runtime, ML.NET, TorchSharp) and all they depend on.
    /// </summary>
    public static string[] AllLibraries => s_allLibraries.Value;

    private static readonly Lazy<string[]> s_allLibraries = new(() =>
    {
        var framework = new HashSet<string>(Directory.GetFiles(s_frameworkDirectory, "*.dll").Select(Path.GetFileName)!, StringComparer.OrdinalIgnoreCase);
        string[] testInfrastructure = ["xunit", "testhost", "Microsoft.TestPlatform", "Microsoft.VisualStudio", "Maran.", "Microsoft.CodeAnalysis", "NuGet."];
        return
        [
            .. Directory.GetFiles(AppContext.BaseDirectory, "*.dll")
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(f => !framework.Contains(f) && !testInfrastructure.Any(prefix => f.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
                .Order(StringComparer.Ordinal),
        ];
    });

    public static CSharpParseOptions ParseOptions(bool interceptorsEnabled) =>
        new CSharpParseOptions(LanguageVersion.Latest)
            .WithFeatures(interceptorsEnabled ? [new("InterceptorsNamespaces", InterceptorsNamespace)] : []);
}
