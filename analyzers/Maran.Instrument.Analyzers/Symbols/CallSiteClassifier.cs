using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Maran.Instrument.Analyzers.Symbols;

/// <summary>
/// Decides, as the generator's call-site parser does, whether a call of a method is intercepted, not monitored at all, or
/// monitored but missed, and why. The method-level rules are the generator's own code, compiled into this assembly.
/// </summary>
internal static class CallSiteClassifier
{
    private static readonly SymbolDisplayFormat NameFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameOnly,
        genericsOptions: SymbolDisplayGenericsOptions.None,
        memberOptions: SymbolDisplayMemberOptions.IncludeContainingType);

    /// <summary>"Type.Method", the way the messages name a method.</summary>
    public static string Display(ISymbol method) => method.ToDisplayString(NameFormat);

    public static CallSite Classify(IInvocationOperation invocation, AnalyzerSymbols symbols)
    {
        IMethodSymbol called = invocation.TargetMethod;
        IMethodSymbol method = (called.ReducedFrom ?? called).OriginalDefinition;
        MonitoredMethod monitored = symbols.GetMonitored(method);
        if (!monitored.IsMonitored)
        {
            return symbols.FindMonitoredImplementation(method) is { } implementation
                ? CallSite.Unreachable(ThroughDispatch(method, implementation))
                : CallSite.NotMonitored;
        }

        if (monitored.WhyNotInterceptable is { } why)
        {
            // A method of this compilation gets one MARAN006 at its declaration instead of a warning at every call.
            bool declaredHere = SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, symbols.Compilation.Assembly);
            return CallSite.Unreachable($"'{Display(method)}' cannot be intercepted from this project: {why}", reportedHere: !declaredHere);
        }

        if (invocation.Syntax is not InvocationExpressionSyntax syntax)
        {
            return CallSite.Unreachable($"'{Display(method)}' is called implicitly here (by a collection initializer or a query expression), which interception cannot reach");
        }

        switch (syntax.Expression)
        {
            case MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax }:
                return CallSite.Unreachable($"'base.{method.Name}(...)' is a non-virtual call that interception cannot reach");
            case MemberAccessExpressionSyntax or IdentifierNameSyntax or GenericNameSyntax or MemberBindingExpressionSyntax:
                break;
            default:
                return CallSite.Unreachable($"'{Display(method)}' is called through an expression the generator does not intercept");
        }

        if (!method.IsStatic && !method.IsExtensionMethod
            && invocation.Instance?.Type is ITypeParameterSymbol { IsReferenceType: false } typeParameter)
        {
            return CallSite.Unreachable($"'{Display(method)}' is called on a value of type parameter '{typeParameter.Name}', which may be a struct that the interceptor would copy");
        }

        if (IsInExpressionTree(invocation, symbols))
        {
            return CallSite.Unreachable($"'{Display(method)}' is called inside an expression tree, which interception cannot reach");
        }

        return CallSite.Intercepted;
    }

    /// <summary>
    /// A monitored method converted to a delegate or function pointer: the calls through it are never intercepted, unless
    /// the delegate is handed to <c>AIFunctionFactory.Create</c>, whose call the generator wraps so the tool is timed when it runs.
    /// </summary>
    public static CallSite ClassifyReference(IMethodReferenceOperation reference, AnalyzerSymbols symbols)
    {
        IMethodSymbol method = (reference.Method.ReducedFrom ?? reference.Method).OriginalDefinition;
        if (!symbols.GetMonitored(method).IsInterceptable)
        {
            return CallSite.NotMonitored;
        }

        return IsToolDelegate(reference, symbols)
            ? CallSite.Intercepted
            : CallSite.Unreachable($"'{Display(method)}' is converted to a delegate here, and calls through a delegate are not intercepted");
    }

    /// <summary>Whether <paramref name="operation"/> is (through conversions) an argument of <c>AIFunctionFactory.Create</c>.</summary>
    public static bool IsToolDelegate(IOperation operation, AnalyzerSymbols symbols)
    {
        if (symbols.AIFunctionFactory is not { } factory)
        {
            return false;
        }

        IOperation? current = operation.Parent;
        while (current is IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation)
        {
            current = current.Parent;
        }

        return current is IArgumentOperation { Parent: IInvocationOperation invocation }
               && invocation.TargetMethod.Name == "Create"
               && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, factory);
    }

    private static string ThroughDispatch(IMethodSymbol target, IMethodSymbol implementation)
    {
        string through = target.ContainingType.TypeKind == TypeKind.Interface ? "interface" : "base class";
        return $"'{Display(target)}' carries no [MonitorOperation] and this call goes through {through} '{target.ContainingType.Name}'; only calls that bind to '{Display(implementation)}' are intercepted";
    }

    private static bool IsInExpressionTree(IOperation operation, AnalyzerSymbols symbols)
    {
        INamedTypeSymbol? expressionOfT = symbols.Known.ExpressionOfT;
        if (expressionOfT is null)
        {
            return false;
        }

        for (IOperation? current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation && current.Parent is { Type: { } converted } && IsExpressionType(converted, expressionOfT))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsExpressionType(ITypeSymbol type, INamedTypeSymbol expressionOfT)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, expressionOfT))
            {
                return true;
            }
        }

        return false;
    }
}
