using System;
using System.Collections.Immutable;
using Maran.Instrument.Analyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Maran.Instrument.Analyzers;

/// <summary>
/// MARAN001: a model call outside any monitored operation. A call is monitored when its method (through lambdas and local
/// functions, the member that contains them) carries [MonitorOperation], sits in a [MonitorComponent] type, implements a
/// model API itself, or when the call runs inside a using of profiler.Operation(...) or after profiler.StartOperation(...).
/// The generator measures the call either way; the message says whether it does here, and that no operation owns it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ModelCallAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The MSBuild switch (a compiler-visible property) that turns the interception of model calls off.</summary>
    public const string ModelCallsProperty = "build_property.MaranInstrumentModelCalls";

    private static readonly (string Property, string Name)[] s_switches =
    [
        ("build_property.MaranInstrumentEnabled", "MaranInstrumentEnabled"),
        (ModelCallsProperty, "MaranInstrumentModelCalls"),
    ];

    private const string MeasuredByItself = "the call is measured (timed, its tokens and cost recorded by the generated interceptor), but its time, tokens and cost belong to no operation of the application";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [MaranDiagnostics.UnmonitoredModelCall];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (AnalyzerSymbols.For(start.Compilation) is { } symbols)
            {
                start.RegisterOperationAction(c => Analyze(c, symbols), OperationKind.Invocation);
            }
        });
    }

    private static void Analyze(OperationAnalysisContext context, AnalyzerSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = (invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod).OriginalDefinition;
        ModelApiCatalog catalog = symbols.CatalogFor(context.Options);
        if (!symbols.IsModelCall(method, catalog)
            || symbols.GetMonitored(method).IsMonitored
            || IsMonitoredMember(context.ContainingSymbol, symbols, catalog)
            || IsInsideTimedScope(invocation, symbols))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            MaranDiagnostics.UnmonitoredModelCall,
            invocation.Syntax.GetLocation(),
            CallSiteClassifier.Display(method),
            WhatHappens(context, symbols)));
    }

    // The generator leaves a model call alone when the project turns it (or model calls) off, or the method around it says [DoNotMonitor].
    private static string WhatHappens(OperationAnalysisContext context, AnalyzerSymbols symbols)
    {
        foreach ((string property, string name) in s_switches)
        {
            if (context.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(property, out string? value)
                && string.Equals(value?.Trim(), "false", StringComparison.OrdinalIgnoreCase))
            {
                return $"the call is not measured either, because this project sets {name} to false";
            }
        }

        if (context.ContainingSymbol is IMethodSymbol member && AnalyzerSymbols.HasAttribute(member, symbols.Known.DoNotMonitor))
        {
            return $"the call is not measured either, because '{CallSiteClassifier.Display(member)}' is marked [DoNotMonitor]";
        }

        return MeasuredByItself;
    }

    private static bool IsMonitoredMember(ISymbol member, AnalyzerSymbols symbols, ModelApiCatalog catalog)
    {
        if (member is not IMethodSymbol method)
        {
            return false;
        }

        for (IMethodSymbol? current = method; current is not null; current = current.OverriddenMethod)
        {
            if (AnalyzerSymbols.HasAttribute(current, symbols.Known.MonitorOperation))
            {
                return true;
            }

            if (!current.IsOverride)
            {
                break;
            }
        }

        // Every ordinary method of a component counts: the public ones are timed, the others are their helpers.
        if (method.MethodKind == MethodKind.Ordinary
            && AnalyzerSymbols.HasAttribute(method.ContainingType, symbols.Known.MonitorComponent)
            && !AnalyzerSymbols.HasAttribute(method, symbols.Known.DoNotMonitor))
        {
            return true;
        }

        // Inside a model API's own implementation (a delegating chat client, a module's forward), the calls are part of it.
        return symbols.IsModelCall(method.OriginalDefinition, catalog);
    }

    private static bool IsInsideTimedScope(IOperation operation, AnalyzerSymbols symbols)
    {
        IOperation child = operation;
        for (IOperation? parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IUsingOperation @using when child == @using.Body && IsTimingResource(@using.Resources, symbols):
                    return true;
                case IBlockOperation block when AnyTimingStatementBefore(block.Operations, child, symbols):
                    return true;
                case ISwitchCaseOperation section when AnyTimingStatementBefore(section.Body, child, symbols):
                    return true;
            }
        }

        return false;
    }

    // A using declaration of an OperationHandle, or a local OperationToken from StartOperation, times the rest of its block.
    private static bool AnyTimingStatementBefore(ImmutableArray<IOperation> statements, IOperation child, AnalyzerSymbols symbols)
    {
        foreach (IOperation statement in statements)
        {
            if (statement == child)
            {
                return false;
            }

            switch (statement)
            {
                case IUsingDeclarationOperation declaration when IsTimingResource(declaration.DeclarationGroup, symbols):
                    return true;
                case IVariableDeclarationGroupOperation group when Declares(group, symbols.OperationToken):
                    return true;
            }
        }

        return false;
    }

    private static bool IsTimingResource(IOperation resources, AnalyzerSymbols symbols) =>
        resources is IVariableDeclarationGroupOperation group
            ? Declares(group, symbols.OperationHandle)
            : Is(resources is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand.Type : resources.Type, symbols.OperationHandle);

    private static bool Declares(IVariableDeclarationGroupOperation group, INamedTypeSymbol? type)
    {
        foreach (IVariableDeclarationOperation declaration in group.Declarations)
        {
            foreach (IVariableDeclaratorOperation declarator in declaration.Declarators)
            {
                if (Is(declarator.Symbol.Type, type))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);
}
