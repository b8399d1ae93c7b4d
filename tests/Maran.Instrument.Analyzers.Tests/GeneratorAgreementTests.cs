#pragma warning disable RSEXPERIMENTAL002 // GetInterceptorMethod reads the compiler's own answer to "is this call intercepted?"

using Maran.Instrument.Analyzers.Symbols;
using Maran.Instrument.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Maran.Instrument.Analyzers.Tests;

/// <summary>
/// The analyzers must warn exactly where the generator leaves a monitored call alone. These tests run the real generator
/// on its own scenarios and on one of tricky cases, ask the compiler which calls ended up intercepted, and compare every
/// call with the analyzers' verdict.
/// </summary>
public class GeneratorAgreementTests
{
    public static TheoryData<string> Scenarios() =>
    [
        .. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "GeneratorScenarios"), "*.cs")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Where(name => !name.EndsWith(".Library", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal),
        "Agreement",
    ];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_call_is_intercepted_exactly_when_the_analyzers_say_so(string scenario)
    {
        List<Verdict> verdicts = Compare(scenario);

        Assert.Contains(verdicts, v => v.Monitored);
        Assert.Empty(verdicts.Where(v => v.Disagrees).Select(v => v.ToString()));
    }

    [Fact]
    public void The_model_apis_a_global_config_lists_are_intercepted_exactly_where_the_analyzers_count_model_calls()
    {
        const string source = """
            namespace Vendor
            {
                public class Gateway
                {
                    public string Complete(string prompt) => prompt;

                    public string Status() => "ok";
                }

                public static class Embedder
                {
                    public static int Embed(string text) => text.Length;
                }

                public static class User
                {
                    [Maran.Instrument.MonitorOperation("ask", "vendor")]
                    public static string Ask(Gateway gateway) => gateway.Complete("a") + gateway.Status();

                    public static int Loose(Gateway gateway) => gateway.Complete("b").Length + Embedder.Embed("c") + gateway.Status().Length;
                }
            }
            """;
        var options = new GlobalConfigOptions(("maran_instrument.model_apis", "Vendor.Gateway.Complete, Vendor.Embedder.*"));
        CSharpCompilation compilation = Compile("Configured", source, TestReferences.Framework);
        CSharpGeneratorDriver.Create([new InterceptorGenerator().AsSourceGenerator()], parseOptions: TestReferences.ParseOptions(interceptorsEnabled: true), optionsProvider: options)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation generated, out _);
        Assert.Empty(generated.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));

        AnalyzerSymbols symbols = AnalyzerSymbols.For(compilation)!;
        ModelApiCatalog catalog = symbols.CatalogFor(new AnalyzerOptions([], options));
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        SemanticModel model = compilation.GetSemanticModel(tree);
        SemanticModel generatedModel = generated.GetSemanticModel(generated.SyntaxTrees.Single(t => t.FilePath == tree.FilePath));
        var verdicts = tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Select(call => (
                Call: call.ToString(),
                Intercepted: IsModelToolOrAgentCall(generatedModel.GetInterceptorMethod(call)),
                ModelCall: model.GetSymbolInfo(call).Symbol is IMethodSymbol method && symbols.IsModelCall(method.OriginalDefinition, catalog)))
            .ToList();

        Assert.Equal(3, verdicts.Count(v => v.ModelCall));
        Assert.Empty(verdicts.Where(v => v.Intercepted != v.ModelCall).Select(v => v.ToString()));
    }

    private static List<Verdict> Compare(string scenario)
    {
        string directory = scenario == "Agreement" ? "Sources" : "GeneratorScenarios";
        var references = TestReferences.Framework.ToList();
        if (directory == "GeneratorScenarios")
        {
            // The token usage and model call scenarios use the model SDKs, Semantic Kernel, OllamaSharp and the Agent Framework.
            references.AddRange(TestReferences.Libraries(
            [
                .. TestReferences.ExtensionsAI, "OpenAI.dll", "System.ClientModel.dll", "System.Memory.Data.dll",
                "Microsoft.Agents.AI.dll", "Microsoft.Agents.AI.Abstractions.dll", "Microsoft.Extensions.Caching.Abstractions.dll", "Microsoft.Extensions.Logging.Abstractions.dll",
                "Microsoft.SemanticKernel.Abstractions.dll", "Microsoft.SemanticKernel.Core.dll", "OllamaSharp.dll", "LLamaSharp.dll", "Microsoft.ML.OnnxRuntime.dll",
            ]));
        }

        if (File.Exists(Path.Combine(AppContext.BaseDirectory, directory, scenario + ".Library.cs")))
        {
            references.Add(CompileLibrary(directory, scenario + ".Library"));
        }

        CSharpCompilation compilation = Compile(scenario, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, directory, scenario + ".cs")), references);
        CSharpGeneratorDriver.Create([new InterceptorGenerator().AsSourceGenerator()], parseOptions: TestReferences.ParseOptions(interceptorsEnabled: true))
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation generated, out _);
        Assert.Empty(generated.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));

        AnalyzerSymbols symbols = AnalyzerSymbols.For(compilation)!;
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        SemanticModel model = compilation.GetSemanticModel(tree);
        SemanticModel generatedModel = generated.GetSemanticModel(generated.SyntaxTrees.Single(t => t.FilePath == tree.FilePath));
        var verdicts = new List<Verdict>();
        foreach (SyntaxNode node in tree.GetRoot().DescendantNodes())
        {
            switch (model.GetOperation(node))
            {
                case IInvocationOperation invocation when invocation.Syntax == node:
                {
                    IMethodSymbol? interceptor = node is InvocationExpressionSyntax call ? generatedModel.GetInterceptorMethod(call) : null;
                    bool monitored = symbols.GetMonitored((invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod).OriginalDefinition).IsMonitored;
                    if (!monitored && IsModelToolOrAgentCall(interceptor))
                    {
                        // Model, tool and agent calls are intercepted whether or not an operation is monitored; the generator tests cover them.
                        break;
                    }

                    bool intercepted = interceptor is not null;
                    CallSite site = CallSiteClassifier.Classify(invocation, symbols);
                    verdicts.Add(new Verdict(node.ToString(), intercepted, site, symbols.GetMonitored((invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod).OriginalDefinition).IsMonitored));
                    break;
                }

                case IMethodReferenceOperation reference when reference.Syntax == node:
                {
                    // A delegate handed to AIFunctionFactory.Create is reached when the generator intercepts that Create call.
                    bool intercepted = CallSiteClassifier.IsToolDelegate(reference, symbols)
                                       && node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } create
                                       && generatedModel.GetInterceptorMethod(create) is not null;
                    bool referenceMonitored = symbols.GetMonitored(reference.Method.OriginalDefinition).IsMonitored;
                    if (intercepted && !referenceMonitored)
                    {
                        // Any method handed to AIFunctionFactory.Create becomes a measured tool; the generator tests cover those.
                        break;
                    }

                    verdicts.Add(new Verdict(node.ToString(), intercepted, CallSiteClassifier.ClassifyReference(reference, symbols), symbols.GetMonitored(reference.Method.OriginalDefinition).IsMonitored));
                    break;
                }
            }
        }

        return verdicts;
    }

    private static bool IsModelToolOrAgentCall(IMethodSymbol? interceptor) =>
        interceptor is not null
        && interceptor.DeclaringSyntaxReferences.Any(r => r.GetSyntax().ToString() is var body
            && (body.Contains("OperationScope.StartCall(", StringComparison.Ordinal) || body.Contains("MaranInterceptorHelpers.MonitorFunction(", StringComparison.Ordinal)));

    private static CSharpCompilation Compile(string name, string source, IEnumerable<MetadataReference> references) =>
        CSharpCompilation.Create(
            name,
            [CSharpSyntaxTree.ParseText(source, TestReferences.ParseOptions(interceptorsEnabled: true), $"/src/{name}.cs")],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

    private static MetadataReference CompileLibrary(string directory, string name)
    {
        CSharpCompilation library = Compile(name, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, directory, name + ".cs")), TestReferences.Framework);
        using var stream = new MemoryStream();
        Assert.True(library.Emit(stream).Success);
        return MetadataReference.CreateFromImage(stream.ToArray());
    }

    /// <summary>One call or method reference: what the compiler did and what the analyzers said.</summary>
    private sealed record Verdict(string Call, bool Intercepted, CallSite Site, bool Monitored)
    {
        // A monitored call that is not intercepted must be Unreachable (a warning here, or MARAN006 at its declaration).
        public bool Disagrees => Intercepted != (Site.Kind == CallSiteKind.Intercepted) || (!Intercepted && Monitored && Site.Kind != CallSiteKind.Unreachable);

        public override string ToString() => $"{Call}: intercepted={Intercepted}, analyzers={Site.Kind} ({Site.Reason})";
    }
}

/// <summary>Global analyzer config options, as a .globalconfig gives them to the generator and the analyzers.</summary>
internal sealed class GlobalConfigOptions(params (string Key, string Value)[] values) : AnalyzerConfigOptionsProvider
{
    private readonly Options _global = new(values.ToDictionary(v => v.Key, v => v.Value));

    public override AnalyzerConfigOptions GlobalOptions => _global;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _global;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _global;

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
