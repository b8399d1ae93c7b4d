using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Maran.Instrument.Analyzers.Naming;
using Maran.Instrument.Analyzers.Symbols;
using Maran.Instrument.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Maran.Instrument.Analyzers;

/// <summary>
/// The declarations of monitored operations: MARAN003 (a name or component that is empty, null or not a valid label),
/// MARAN006 (a monitored method the generator cannot intercept) and MARAN004 (two methods under one name and component).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class OperationDeclarationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: which argument MARAN003 is about, "name" or "component".</summary>
    public const string ArgumentProperty = "Argument";

    /// <summary>Diagnostic property: the value MARAN003's fix puts in place of the bad one.</summary>
    public const string ReplacementProperty = "Replacement";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        [MaranDiagnostics.InvalidOperationArgument, MaranDiagnostics.DuplicateOperation, MaranDiagnostics.NotInterceptable];

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

            var declared = new ConcurrentBag<DeclaredOperation>();
            start.RegisterSymbolAction(c => AnalyzeMethod(c, (IMethodSymbol)c.Symbol, symbols, declared), SymbolKind.Method);
            start.RegisterSymbolAction(c => AnalyzeType(c, (INamedTypeSymbol)c.Symbol, symbols), SymbolKind.NamedType);
            start.RegisterOperationAction(c => AnalyzeFunction(c, symbols), OperationKind.LocalFunction, OperationKind.AnonymousFunction);
            start.RegisterCompilationEndAction(c => ReportDuplicates(c, declared));
        });
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, IMethodSymbol method, AnalyzerSymbols symbols, ConcurrentBag<DeclaredOperation> declared)
    {
        if (AnalyzerSymbols.FindAttribute(method, symbols.Known.MonitorOperation) is { } attribute)
        {
            bool valid = CheckArguments(attribute, method, context.ReportDiagnostic, context.CancellationToken);
            Location location = AttributeLocation(attribute, context.CancellationToken) ?? method.Locations[0];
            if (MethodModelBuilder.WhyNotInterceptable(method, symbols.Compilation, symbols.Known) is { } why)
            {
                context.ReportDiagnostic(Diagnostic.Create(MaranDiagnostics.NotInterceptable, location, CallSiteClassifier.Display(method), why));
            }
            else if (valid)
            {
                declared.Add(new DeclaredOperation(
                    (string)attribute.ConstructorArguments[0].Value!,
                    (string)attribute.ConstructorArguments[1].Value!,
                    method,
                    location));
            }

            return;
        }

        // A public method of a component type is monitored under its own name (MonitoredOperation.Find decides).
        if (method.DeclaredAccessibility == Accessibility.Public
            && method.MethodKind == MethodKind.Ordinary
            && symbols.GetMonitored(method) is { Operation: { } operation } monitored
            && !method.IsOverride)
        {
            if (monitored.WhyNotInterceptable is { } why)
            {
                context.ReportDiagnostic(Diagnostic.Create(MaranDiagnostics.NotInterceptable, method.Locations[0], CallSiteClassifier.Display(method), why));
            }
            else
            {
                declared.Add(new DeclaredOperation(operation.Name, operation.Component, method, method.Locations[0]));
            }
        }
    }

    private static void AnalyzeType(SymbolAnalysisContext context, INamedTypeSymbol type, AnalyzerSymbols symbols)
    {
        if (AnalyzerSymbols.FindAttribute(type, symbols.Known.MonitorComponent) is { ConstructorArguments.Length: 1 } attribute)
        {
            CheckArgument(attribute, 0, "component", "component", OperationNames.FromTypeName(type.Name), context.ReportDiagnostic, context.CancellationToken);
        }
    }

    // Local functions and lambdas can carry the attribute too, but only ordinary methods are intercepted.
    private static void AnalyzeFunction(OperationAnalysisContext context, AnalyzerSymbols symbols)
    {
        IMethodSymbol function = context.Operation switch
        {
            ILocalFunctionOperation local => local.Symbol,
            IAnonymousFunctionOperation lambda => lambda.Symbol,
            _ => throw new InvalidOperationException("registered for local functions and lambdas only"),
        };
        if (AnalyzerSymbols.FindAttribute(function, symbols.Known.MonitorOperation) is not { } attribute)
        {
            return;
        }

        CheckArguments(attribute, function, context.ReportDiagnostic, context.CancellationToken);
        if (MethodModelBuilder.WhyNotInterceptable(function, symbols.Compilation, symbols.Known) is { } why)
        {
            Location location = AttributeLocation(attribute, context.CancellationToken) ?? context.Operation.Syntax.GetLocation();
            string display = function.MethodKind == MethodKind.LocalFunction ? function.Name : "lambda";
            context.ReportDiagnostic(Diagnostic.Create(MaranDiagnostics.NotInterceptable, location, display, why));
        }
    }

    private static bool CheckArguments(AttributeData attribute, IMethodSymbol method, Action<Diagnostic> report, CancellationToken cancellationToken)
    {
        if (attribute.ConstructorArguments.Length != 2)
        {
            // The attribute did not bind; the compiler reports that.
            return false;
        }

        string typeName = method.ContainingType?.Name ?? "component";
        bool name = CheckArgument(attribute, 0, "name", "operation name", OperationNames.FromMethodName(method.Name), report, cancellationToken);
        bool component = CheckArgument(attribute, 1, "component", "component", OperationNames.FromTypeName(typeName), report, cancellationToken);
        return name && component;
    }

    private static bool CheckArgument(
        AttributeData attribute,
        int index,
        string parameter,
        string what,
        string fallback,
        Action<Diagnostic> report,
        CancellationToken cancellationToken)
    {
        TypedConstant argument = attribute.ConstructorArguments[index];
        if (argument.Kind == TypedConstantKind.Error)
        {
            return false;
        }

        string? value = argument.Value as string;
        string message;
        string replacement;
        if (value is null)
        {
            message = $"The {what} is null; the generator skips this method, so its calls are not timed";
            replacement = fallback;
        }
        else if (value.Length == 0)
        {
            message = $"The {what} is empty; the generator skips this method, so its calls are not timed";
            replacement = fallback;
        }
        else if (OperationNames.FirstInvalid(value) is var invalid and >= 0)
        {
            message = $"The {what} \"{value}\" contains '{value[invalid]}', which metric labels would mangle; use {OperationNames.AllowedDescription}";
            replacement = OperationNames.Sanitize(value);
        }
        else
        {
            return true;
        }

        Location location = ArgumentLocation(attribute, index, parameter, cancellationToken) ?? AttributeLocation(attribute, cancellationToken) ?? Location.None;
        ImmutableDictionary<string, string?> properties = ImmutableDictionary<string, string?>.Empty
            .Add(ArgumentProperty, parameter)
            .Add(ReplacementProperty, replacement);
        report(Diagnostic.Create(MaranDiagnostics.InvalidOperationArgument, location, properties, message));
        return false;
    }

    private static Location? AttributeLocation(AttributeData attribute, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation();

    private static Location? ArgumentLocation(AttributeData attribute, int index, string parameter, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax { ArgumentList: { } list })
        {
            return null;
        }

        foreach (AttributeArgumentSyntax argument in list.Arguments)
        {
            if (argument.NameColon?.Name.Identifier.ValueText == parameter)
            {
                return argument.Expression.GetLocation();
            }
        }

        return index < list.Arguments.Count && list.Arguments[index] is { NameColon: null, NameEquals: null } positional
            ? positional.Expression.GetLocation()
            : null;
    }

    private static void ReportDuplicates(CompilationAnalysisContext context, ConcurrentBag<DeclaredOperation> declared)
    {
        IEnumerable<IGrouping<(string, string), DeclaredOperation>> groups = declared
            .GroupBy(d => (d.Component, d.Name))
            .Where(g => g.Skip(1).Any());
        foreach (IGrouping<(string Component, string Name), DeclaredOperation> group in groups)
        {
            List<List<DeclaredOperation>> families = Families(group);
            if (families.Count < 2)
            {
                continue;
            }

            foreach (List<DeclaredOperation> family in families)
            {
                DeclaredOperation other = families.First(f => f != family)[0];
                foreach (DeclaredOperation operation in family)
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        MaranDiagnostics.DuplicateOperation,
                        operation.Location,
                        [other.Location],
                        group.Key.Name,
                        group.Key.Component,
                        CallSiteClassifier.Display(other.Method)));
                }
            }
        }
    }

    // Overloads of one method, and overrides or implementations of one another, are one method's family: they may share a name.
    private static List<List<DeclaredOperation>> Families(IEnumerable<DeclaredOperation> operations)
    {
        var families = new List<List<DeclaredOperation>>();
        foreach (DeclaredOperation operation in operations.OrderBy(o => o.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(o => o.Location.SourceSpan.Start))
        {
            List<DeclaredOperation>? home = families.FirstOrDefault(f => f.Any(member => AreRelated(member.Method, operation.Method)));
            if (home is null)
            {
                families.Add([operation]);
            }
            else
            {
                home.Add(operation);
            }
        }

        return families;
    }

    private static bool AreRelated(IMethodSymbol a, IMethodSymbol b) =>
        (SymbolEqualityComparer.Default.Equals(a.ContainingType, b.ContainingType) && a.Name == b.Name)
        || Reaches(a, b)
        || Reaches(b, a);

    private static bool Reaches(IMethodSymbol from, IMethodSymbol to)
    {
        for (IMethodSymbol? current = from.OverriddenMethod; current is not null; current = current.OverriddenMethod)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, to.OriginalDefinition))
            {
                return true;
            }
        }

        if (to.ContainingType.TypeKind == TypeKind.Interface)
        {
            foreach (INamedTypeSymbol @interface in from.ContainingType.AllInterfaces)
            {
                foreach (ISymbol member in @interface.GetMembers(to.Name))
                {
                    if (SymbolEqualityComparer.Default.Equals(member.OriginalDefinition, to.OriginalDefinition)
                        && SymbolEqualityComparer.Default.Equals(from.ContainingType.FindImplementationForInterfaceMember(member)?.OriginalDefinition, from.OriginalDefinition))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private sealed record DeclaredOperation(string Name, string Component, IMethodSymbol Method, Location Location);
}
