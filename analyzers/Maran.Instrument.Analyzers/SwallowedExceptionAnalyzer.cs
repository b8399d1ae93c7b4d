using System.Collections.Generic;
using System.Collections.Immutable;
using Maran.Instrument.Analyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Maran.Instrument.Analyzers;

/// <summary>
/// MARAN007: a <c>catch</c> in a monitored method that neither throws nor records what it caught, so the operation ends
/// as a success and the failure is counted nowhere. Recording is <c>OperationHandle.Fail</c>,
/// <c>PerformanceProfiler.EndOperation</c> with an exception, <c>ErrorTracker.TrackError</c>, or logging the exception
/// through <c>ILogger</c> at warning level or above. Catches of cancellation, and catches in lambdas and local functions
/// (which may run after the operation ended), are not reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SwallowedExceptionAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The property that carries the operation's component, for the fix's <c>TrackError</c> call.</summary>
    public const string ComponentProperty = "Component";

    private const int WarningLevel = 3;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [MaranDiagnostics.SwallowedException];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (AnalyzerSymbols.For(start.Compilation) is { } symbols)
            {
                INamedTypeSymbol? cancelled = start.Compilation.GetTypeByMetadataName("System.OperationCanceledException");
                start.RegisterOperationAction(c => Analyze(c, symbols, cancelled), OperationKind.Try);
            }
        });
    }

    private static void Analyze(OperationAnalysisContext context, AnalyzerSymbols symbols, INamedTypeSymbol? cancelled)
    {
        var @try = (ITryOperation)context.Operation;
        if (@try.Catches.IsEmpty
            || context.ContainingSymbol is not IMethodSymbol method
            || IsInNestedFunction(@try)
            || symbols.GetMonitored(method.OriginalDefinition).Operation is not { } operation)
        {
            return;
        }

        foreach (ICatchClauseOperation clause in @try.Catches)
        {
            if (IsCancellation(clause.ExceptionType, cancelled)
                || Handles(clause.Handler, clause, symbols)
                || (clause.Filter is { } filter && Handles(filter, clause, symbols))
                || clause.Syntax is not CatchClauseSyntax syntax)
            {
                continue;
            }

            SyntaxNode header = (SyntaxNode?)syntax.Filter ?? syntax.Declaration ?? (SyntaxNode)syntax;
            int end = header == syntax ? syntax.CatchKeyword.Span.End : header.Span.End;
            context.ReportDiagnostic(Diagnostic.Create(
                MaranDiagnostics.SwallowedException,
                Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(syntax.SpanStart, end)),
                ImmutableDictionary<string, string?>.Empty.Add(ComponentProperty, operation.Component),
                CallSiteClassifier.Display(method)));
        }
    }

    // A lambda or local function runs when it is called, maybe after the operation ended: its catches are its own.
    private static bool IsInNestedFunction(IOperation operation)
    {
        for (IOperation? current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCancellation(ITypeSymbol? caught, INamedTypeSymbol? cancelled)
    {
        for (ITypeSymbol? current = caught; current is not null && cancelled is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, cancelled))
            {
                return true;
            }
        }

        return false;
    }

    // Any throw ends the operation as failed (the interceptor records it); any recording call keeps the failure counted.
    // Lambdas and local functions inside the catch are skipped: what they do happens only if someone calls them.
    private static bool Handles(IOperation root, ICatchClauseOperation clause, AnalyzerSymbols symbols)
    {
        var pending = new Stack<IOperation>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            IOperation operation = pending.Pop();
            switch (operation)
            {
                case IThrowOperation:
                    return true;
                case IInvocationOperation invocation when Records(invocation, clause, symbols):
                    return true;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    continue;
            }

            foreach (IOperation child in operation.ChildOperations)
            {
                pending.Push(child);
            }
        }

        return false;
    }

    private static bool Records(IInvocationOperation invocation, ICatchClauseOperation clause, AnalyzerSymbols symbols)
    {
        IMethodSymbol method = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
        INamedTypeSymbol type = method.ContainingType;
        if (Is(type, symbols.ErrorTracker) && method.Name == "TrackError")
        {
            return true;
        }

        if (Is(type, symbols.OperationHandle) && method.Name == "Fail")
        {
            return true;
        }

        if (Is(type, symbols.PerformanceProfiler) && method.Name == "EndOperation")
        {
            return PassesCaught(invocation, clause);
        }

        if (Is(type, symbols.LoggerExtensions) && method.Name is "LogWarning" or "LogError" or "LogCritical")
        {
            return PassesCaught(invocation, clause);
        }

        if ((Is(type, symbols.LoggerExtensions) || Is(type, symbols.Logger)) && method.Name == "Log")
        {
            return !HasLevelBelowWarning(invocation) && PassesCaught(invocation, clause);
        }

        // A [LoggerMessage] method: the source-generated logger the runtime's guidance recommends.
        return HasLoggerMessage(method) && PassesCaught(invocation, clause);
    }

    // The caught exception (its local) is one of the arguments, as itself or converted.
    private static bool PassesCaught(IInvocationOperation invocation, ICatchClauseOperation clause)
    {
        if (clause.Locals.IsEmpty)
        {
            return false;
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            IOperation value = argument.Value;
            while (value is IConversionOperation conversion)
            {
                value = conversion.Operand;
            }

            if (value is ILocalReferenceOperation local && clause.Locals.Contains(local.Local, SymbolEqualityComparer.Default))
            {
                return true;
            }
        }

        return false;
    }

    // LogLevel.Trace, Debug and Information (0 to 2) are not where failures are looked for.
    private static bool HasLevelBelowWarning(IInvocationOperation invocation)
    {
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter?.Type is { Name: "LogLevel", TypeKind: TypeKind.Enum }
                && argument.Value.ConstantValue is { HasValue: true, Value: int level })
            {
                return level < WarningLevel;
            }
        }

        return false;
    }

    private static bool HasLoggerMessage(IMethodSymbol method)
    {
        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "LoggerMessageAttribute" } attributeClass
                && attributeClass.ContainingNamespace.ToDisplayString() == "Microsoft.Extensions.Logging")
            {
                return true;
            }
        }

        return false;
    }

    private static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        expected is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, expected);
}
