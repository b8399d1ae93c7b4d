using System.Threading;
using Maran.Instrument.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Maran.Instrument.Generator.Parsing;

/// <summary>Finds the calls of monitored methods: a cheap syntactic filter, then the semantic check.</summary>
internal static class CallSiteParser
{
    /// <summary>Syntactic filter: an invocation of a named method (<c>M()</c>, <c>x.M()</c>, <c>x?.M()</c>, <c>M&lt;T&gt;()</c>), not through <c>base</c>.</summary>
    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) =>
        node is InvocationExpressionSyntax invocation
        && invocation.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Expression is not BaseExpressionSyntax,
            IdentifierNameSyntax or GenericNameSyntax or MemberBindingExpressionSyntax => true,
            _ => false,
        };

    /// <summary>The intercepted call at <paramref name="context"/>'s node, or null when it is not a call the generator intercepts.</summary>
    public static CallSiteModel? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        SemanticModel semanticModel = context.SemanticModel;
        KnownSymbols? known = KnownSymbols.For(semanticModel.Compilation);
        if (known is null)
        {
            return null;
        }

        if (semanticModel.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol called)
        {
            return null;
        }

        IMethodSymbol method = (called.ReducedFrom ?? called).OriginalDefinition;
        if (MonitoredOperation.Find(method, known) is not { } operation)
        {
            return null;
        }

        if (called.ReceiverType is ITypeParameterSymbol && !method.IsStatic && !called.IsExtensionMethod)
        {
            // A call on a type-parameter receiver would need boxing to reach the interceptor: left alone.
            return null;
        }

        if (MethodModelBuilder.WhyNotInterceptable(method, semanticModel.Compilation, known) is not null
            || IsInExpressionTree(invocation, semanticModel, known, cancellationToken))
        {
            return null;
        }

        if (semanticModel.GetInterceptableLocation(invocation, cancellationToken) is not { } location)
        {
            return null;
        }

        return new CallSiteModel(
            FilePath: invocation.SyntaxTree.FilePath,
            Position: invocation.SpanStart,
            Version: location.Version,
            Data: location.Data,
            DisplayLocation: DisplayLocation(invocation),
            Method: MethodModelBuilder.Build(method, operation, semanticModel.Compilation, known));
    }

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
            if (current is AnonymousFunctionExpressionSyntax or QueryExpressionSyntax)
            {
                ITypeSymbol? converted = current is QueryExpressionSyntax
                    ? null
                    : semanticModel.GetTypeInfo(current, cancellationToken).ConvertedType;
                if (converted is not null && IsExpressionType(converted, known))
                {
                    return true;
                }

                if (current is QueryExpressionSyntax && semanticModel.GetOperation(node, cancellationToken) is { } operation)
                {
                    for (IOperation? parent = operation.Parent; parent is not null; parent = parent.Parent)
                    {
                        if (parent is Microsoft.CodeAnalysis.Operations.IAnonymousFunctionOperation
                            && parent.Parent is Microsoft.CodeAnalysis.Operations.IConversionOperation conversion
                            && IsExpressionType(conversion.Type, known))
                        {
                            return true;
                        }
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
}
