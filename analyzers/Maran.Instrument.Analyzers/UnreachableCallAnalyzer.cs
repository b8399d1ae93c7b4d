using System.Collections.Immutable;
using Maran.Instrument.Analyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Maran.Instrument.Analyzers;

/// <summary>
/// MARAN002: a monitored method used where the generator's interceptors cannot reach it (a delegate or method group,
/// dispatch through an unmonitored interface or base method, <c>base.M()</c>, a type-parameter receiver, an expression
/// tree), so that call is not timed.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnreachableCallAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [MaranDiagnostics.UnreachableCall];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (AnalyzerSymbols.For(start.Compilation) is not { } symbols)
            {
                return;
            }

            start.RegisterOperationAction(
                c => Report(c, CallSiteClassifier.Classify((IInvocationOperation)c.Operation, symbols)),
                OperationKind.Invocation);
            start.RegisterOperationAction(
                c => Report(c, CallSiteClassifier.ClassifyReference((IMethodReferenceOperation)c.Operation, symbols)),
                OperationKind.MethodReference);
        });
    }

    private static void Report(OperationAnalysisContext context, CallSite callSite)
    {
        if (callSite.Kind == CallSiteKind.Unreachable && callSite.IsReportedHere)
        {
            context.ReportDiagnostic(Diagnostic.Create(MaranDiagnostics.UnreachableCall, context.Operation.Syntax.GetLocation(), callSite.Reason));
        }
    }
}
