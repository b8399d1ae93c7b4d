using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading;
using Maran.Instrument.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Maran.Instrument.Generator.Parsing;

/// <summary>
/// Finds the calls of monitored methods: a syntactic filter, a check of the called name against the names a
/// monitored method can have (no binding), then the semantic check. What is learnt of a method is kept per
/// compilation, so a method called from many places is examined once.
/// </summary>
internal static class CallSiteParser
{
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IMethodSymbol, MethodVerdict>> s_verdicts = new();

    /// <summary>Syntactic filter: an invocation of a named method (<c>M()</c>, <c>x.M()</c>, <c>x?.M()</c>, <c>M&lt;T&gt;()</c>), not through <c>base</c>.</summary>
    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) =>
        node is InvocationExpressionSyntax invocation && CalledName(invocation) is not null;

    /// <summary>The intercepted call at <paramref name="context"/>'s node, or null when it is not a call the generator intercepts.</summary>
    public static CallSiteModel? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        SemanticModel semanticModel = context.SemanticModel;
        Compilation compilation = semanticModel.Compilation;
        KnownSymbols? known = KnownSymbols.For(compilation);
        if (known is null || CalledName(invocation) is not { } name || !CandidateNames.For(compilation, known).Contains(name))
        {
            return null;
        }

        if (semanticModel.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol called)
        {
            return null;
        }

        IMethodSymbol method = (called.ReducedFrom ?? called).OriginalDefinition;
        MethodVerdict verdict = s_verdicts
            .GetValue(compilation, static _ => new ConcurrentDictionary<IMethodSymbol, MethodVerdict>(SymbolEqualityComparer.Default))
            .GetOrAdd(method, m => MethodVerdict.Of(m, compilation, known));
        if (verdict.Model is not { } model
            || ReceiverNeedsBoxing(invocation, method, semanticModel, cancellationToken)
            || IsInExpressionTree(invocation, semanticModel, known, cancellationToken)
            || semanticModel.GetInterceptableLocation(invocation, cancellationToken) is not { } location)
        {
            return null;
        }

        return new CallSiteModel(
            FilePath: invocation.SyntaxTree.FilePath,
            Position: invocation.SpanStart,
            Version: location.Version,
            Data: location.Data,
            DisplayLocation: DisplayLocation(invocation),
            Method: model);
    }

    private static string? CalledName(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax } => null,
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => null,
    };

    // An instance call on a receiver whose type is a type parameter that may be a struct would reach the
    // interceptor boxed, so a mutation would land on a copy: such calls are left alone (MARAN002 says so).
    private static bool ReceiverNeedsBoxing(InvocationExpressionSyntax invocation, IMethodSymbol method, SemanticModel semanticModel, CancellationToken cancellationToken) =>
        !method.IsStatic
        && invocation.Expression is MemberAccessExpressionSyntax or MemberBindingExpressionSyntax
        && semanticModel.GetOperation(invocation, cancellationToken) is IInvocationOperation { Instance.Type: ITypeParameterSymbol { IsReferenceType: false } };

    // "Program.cs(12,17)": the file name rather than the full path keeps generated comments readable and machine-independent.
    private static string DisplayLocation(InvocationExpressionSyntax invocation)
    {
        SyntaxNode name = invocation.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name,
            MemberBindingExpressionSyntax binding => binding.Name,
            _ => invocation.Expression,
        };
        FileLinePositionSpan span = name.GetLocation().GetLineSpan();
        return $"{System.IO.Path.GetFileName(span.Path)}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})";
    }

    private static bool IsInExpressionTree(SyntaxNode node, SemanticModel semanticModel, KnownSymbols known, CancellationToken cancellationToken)
    {
        for (SyntaxNode? current = node.Parent; current is not null; current = current.Parent)
        {
            if (current is AnonymousFunctionExpressionSyntax)
            {
                if (IsExpressionType(semanticModel.GetTypeInfo(current, cancellationToken).ConvertedType, known))
                {
                    return true;
                }
            }
            else if (current is QueryExpressionSyntax && semanticModel.GetOperation(node, cancellationToken) is { } operation)
            {
                for (IOperation? parent = operation.Parent; parent is not null; parent = parent.Parent)
                {
                    if (parent is IAnonymousFunctionOperation && parent.Parent is IConversionOperation conversion && IsExpressionType(conversion.Type, known))
                    {
                        return true;
                    }
                }
            }
            else if (current is MemberDeclarationSyntax)
            {
                break;
            }
        }

        return false;
    }

    private static bool IsExpressionType(ITypeSymbol? type, KnownSymbols known)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (known.ExpressionOfT is not null && SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, known.ExpressionOfT))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What the generator decided about one method: its model when it is monitored and interceptable.</summary>
    private sealed class MethodVerdict
    {
        private static readonly MethodVerdict NotMonitored = new(null);

        private MethodVerdict(MethodModel? model) => Model = model;

        public MethodModel? Model { get; }

        public static MethodVerdict Of(IMethodSymbol method, Compilation compilation, KnownSymbols known) =>
            MonitoredOperation.Find(method, known) is { } operation && MethodModelBuilder.WhyNotInterceptable(method, compilation, known) is null
                ? new MethodVerdict(MethodModelBuilder.Build(method, operation, compilation, known))
                : NotMonitored;
    }
}
