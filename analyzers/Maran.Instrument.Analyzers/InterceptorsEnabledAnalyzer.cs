using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Maran.Instrument.Analyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Maran.Instrument.Analyzers;

/// <summary>
/// MARAN005: the project makes monitored calls, but the compiler is not told that interceptors may live in
/// <c>Maran.Instrument.Generated</c> (the package's build targets were removed, or <c>InterceptorsNamespaces</c> was
/// overwritten), so the generated interceptors are not applied and nothing is measured. The compiler's own setting is
/// read from the parse options' features, which is what the build passes to it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InterceptorsEnabledAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The namespace the generator declares its interceptors in.</summary>
    public const string InterceptorsNamespace = "Maran.Instrument.Generated";

    private static readonly string[] FeatureKeys = ["InterceptorsNamespaces", "InterceptorsPreviewNamespaces"];

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [MaranDiagnostics.InterceptorsNotEnabled];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (AnalyzerSymbols.For(start.Compilation) is not { } symbols
                || IsDisabledOnPurpose(start.Options)
                || IsEnabled(start.Compilation))
            {
                return;
            }

            var counter = new StrongBox();
            start.RegisterOperationAction(
                c =>
                {
                    if (CallSiteClassifier.Classify((IInvocationOperation)c.Operation, symbols).Kind == CallSiteKind.Intercepted)
                    {
                        Interlocked.Increment(ref counter.Count);
                    }
                },
                OperationKind.Invocation);
            start.RegisterCompilationEndAction(c =>
            {
                int count = Volatile.Read(ref counter.Count);
                if (count > 0)
                {
                    c.ReportDiagnostic(Diagnostic.Create(MaranDiagnostics.InterceptorsNotEnabled, Location.None, count));
                }
            });
        });
    }

    /// <summary>Whether the compiler accepts interceptors declared in <see cref="InterceptorsNamespace"/> (listed, or under a listed namespace).</summary>
    public static bool IsEnabled(Compilation compilation)
    {
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            IReadOnlyDictionary<string, string> features = tree.Options.Features;
            foreach (string key in FeatureKeys)
            {
                if (features.TryGetValue(key, out string? value) && Lists(value))
                {
                    return true;
                }
            }

            // Every tree of a compilation is parsed with the same options: the first one answers.
            return false;
        }

        return false;
    }

    private static bool Lists(string namespaces)
    {
        foreach (string entry in namespaces.Split([';', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            string name = entry.Trim();
            if (name == InterceptorsNamespace
                || (InterceptorsNamespace.StartsWith(name, StringComparison.Ordinal) && InterceptorsNamespace[name.Length] == '.'))
            {
                return true;
            }
        }

        return false;
    }

    // MaranInstrumentEnabled=false builds without interception on purpose; the generator then emits nothing either.
    private static bool IsDisabledOnPurpose(AnalyzerOptions options) =>
        options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue("build_property.MaranInstrumentEnabled", out string? value)
        && string.Equals(value?.Trim(), "false", StringComparison.OrdinalIgnoreCase);

    private sealed class StrongBox
    {
        public int Count;
    }
}
