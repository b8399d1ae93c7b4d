using System;
using System.Collections.Immutable;
using System.Linq;
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

    /// <summary>Whether the compiler accepts interceptors in the generated namespace; the generator asks the same question.</summary>
    /// <remarks>Every tree of a compilation is parsed with the same options: the first one answers.</remarks>
    public static bool IsEnabled(Compilation compilation) =>
        compilation.SyntaxTrees.FirstOrDefault() is { } tree && Generator.Parsing.InterceptorsNamespace.IsEnabledIn(tree.Options);

    // MaranInstrumentEnabled=false builds without interception on purpose; the generator then emits nothing either.
    private static bool IsDisabledOnPurpose(AnalyzerOptions options) =>
        options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue("build_property.MaranInstrumentEnabled", out string? value)
        && string.Equals(value?.Trim(), "false", StringComparison.OrdinalIgnoreCase);

    private sealed class StrongBox
    {
        public int Count;
    }
}
