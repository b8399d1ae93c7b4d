using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Maran.Instrument.Analyzers.Tests;

/// <summary>
/// The analyzer and code-fix tests of this project: sources compiled against <see cref="TestReferences"/>, as a library
/// with interceptors enabled (the package's default), unless a test says otherwise.
/// </summary>
internal static class Verify
{
    /// <summary>Checks that <typeparamref name="TAnalyzer"/> reports exactly the diagnostics marked in <paramref name="source"/>.</summary>
    public static Task AnalyzerAsync<TAnalyzer>(string source, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new() =>
        AnalyzerAsync<TAnalyzer>(source, new Options(), expected);

    public static Task AnalyzerAsync<TAnalyzer>(string source, Options options, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> { TestCode = source };
        Configure(test, test.TestState, options);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>Checks that <typeparamref name="TCodeFix"/> turns <paramref name="source"/> into <paramref name="fixedSource"/>, which must compile; fix-all too.</summary>
    public static Task CodeFixAsync<TAnalyzer, TCodeFix>(string source, string fixedSource, Options? options = null)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        options ??= new Options();
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = fixedSource,
            NumberOfFixAllIterations = options.FixAllIterations,
            CodeActionEquivalenceKey = options.EquivalenceKey,
        };
        Configure(test, test.TestState, options);
        test.FixedState.AdditionalReferences.AddRange(test.TestState.AdditionalReferences);

        // Diagnostics marked in the fixed source are the ones the fix is expected to leave.
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        return test.RunAsync();
    }

    /// <summary>Checks that <typeparamref name="TCodeFix"/> offers nothing for the diagnostics marked in <paramref name="source"/>.</summary>
    public static Task NoCodeFixAsync<TAnalyzer, TCodeFix>(string source, Options? options = null)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new() =>
        CodeFixAsync<TAnalyzer, TCodeFix>(source, source, options);

    private static void Configure(AnalyzerTest<DefaultVerifier> test, SolutionState state, Options options)
    {
        test.ReferenceAssemblies = TestReferences.NoPackages;
        state.AdditionalReferences.AddRange(TestReferences.Framework);
        state.AdditionalReferences.AddRange(TestReferences.Libraries(options.Libraries));
        state.OutputKind = options.OutputKind;
        foreach ((string path, string source) in options.MoreSources)
        {
            state.Sources.Add((path, source));
        }

        if (options.EditorConfig is { } editorConfig)
        {
            state.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + editorConfig));
        }

        if (options.GlobalConfig is { } globalConfig)
        {
            state.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\n" + globalConfig));
        }

        test.SolutionTransforms.Add((solution, projectId) =>
        {
            Project project = solution.GetProject(projectId)!;
            var compilationOptions = ((CSharpCompilationOptions)project.CompilationOptions!).WithNullableContextOptions(NullableContextOptions.Enable);
            return solution
                .WithProjectParseOptions(projectId, TestReferences.ParseOptions(options.InterceptorsEnabled).WithFeatures(options.Features ?? TestReferences.ParseOptions(options.InterceptorsEnabled).Features))
                .WithProjectCompilationOptions(projectId, compilationOptions);
        });
    }

    /// <summary>How a test compiles its source.</summary>
    internal sealed record Options
    {
        /// <summary>File names of inference-library assemblies to reference (see <see cref="TestReferences"/>).</summary>
        public string[] Libraries { get; init; } = TestReferences.ExtensionsAI;

        public OutputKind OutputKind { get; init; } = OutputKind.DynamicallyLinkedLibrary;

        public bool InterceptorsEnabled { get; init; } = true;

        /// <summary>Compiler features to use instead of the ones <see cref="InterceptorsEnabled"/> implies.</summary>
        public Dictionary<string, string>? Features { get; init; }

        public (string Path, string Source)[] MoreSources { get; init; } = [];

        /// <summary>Lines of an .editorconfig section for every .cs file.</summary>
        public string? EditorConfig { get; init; }

        /// <summary>Lines of a global analyzer config (build properties).</summary>
        public string? GlobalConfig { get; init; }

        public int? FixAllIterations { get; init; }

        /// <summary>The equivalence key of the fix to apply, where a diagnostic offers several.</summary>
        public string? EquivalenceKey { get; init; }
    }
}
