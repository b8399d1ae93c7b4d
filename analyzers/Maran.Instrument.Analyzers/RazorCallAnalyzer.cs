using System;
using System.Collections.Immutable;
using System.IO;
using Maran.Instrument.Analyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Maran.Instrument.Analyzers;

/// <summary>
/// MARAN008: a monitored method or a model API called (or turned into a delegate) in a .razor or .cshtml file. The Razor
/// source generator writes that C#, and one generator never sees another's output, so the call is not intercepted.
/// Analyzers do see generated trees: this one reads the Razor generator's, and reports each call where its
/// <c>#line</c> directive maps it, in the markup.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RazorCallAnalyzer : DiagnosticAnalyzer
{
    // The Razor source generator's hint names: the markup file's path with its extension's dot made '_', then ".g.cs"
    // (Components/Pages/Counter_razor.g.cs; SDKs before .NET 8 also turned folders into '_'). The legacy MSBuild Razor
    // compile writes Counter.razor.g.cs into obj/ as ordinary sources, which the generator sees and intercepts.
    private static readonly string[] s_generatedSuffixes = ["_razor.g.cs", "_cshtml.g.cs"];

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [MaranDiagnostics.RazorCall];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (AnalyzerSymbols.For(start.Compilation) is not { } symbols)
            {
                return;
            }

            start.RegisterOperationBlockStartAction(block =>
            {
                // One look at the file name per member: every other tree is dismissed before any operation is visited.
                if (block.OperationBlocks.IsEmpty || !IsRazorOutput(block.OperationBlocks[0].Syntax.SyntaxTree))
                {
                    return;
                }

                block.RegisterOperationAction(c => AnalyzeInvocation(c, symbols), OperationKind.Invocation);
                block.RegisterOperationAction(c => AnalyzeReference(c, symbols), OperationKind.MethodReference);
            });
        });
    }

    /// <summary>Whether <paramref name="tree"/> is the Razor source generator's output for a .razor or .cshtml file.</summary>
    public static bool IsRazorOutput(SyntaxTree tree)
    {
        foreach (string suffix in s_generatedSuffixes)
        {
            if (tree.FilePath.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, AnalyzerSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = (invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod).OriginalDefinition;
        if (symbols.GetMonitored(method).IsMonitored
            || symbols.IsModelCall(method, symbols.CatalogFor(context.Options)))
        {
            Report(context, method);
        }
    }

    // A method group handed to the markup (@onclick="agent.Ask") is called through a delegate: not intercepted either.
    private static void AnalyzeReference(OperationAnalysisContext context, AnalyzerSymbols symbols)
    {
        var reference = (IMethodReferenceOperation)context.Operation;
        IMethodSymbol method = (reference.Method.ReducedFrom ?? reference.Method).OriginalDefinition;
        if (symbols.GetMonitored(method).IsMonitored && !CallSiteClassifier.IsToolDelegate(reference, symbols))
        {
            Report(context, method);
        }
    }

    private static void Report(OperationAnalysisContext context, IMethodSymbol method)
    {
        Location location = context.Operation.Syntax.GetLocation();
        context.ReportDiagnostic(Diagnostic.Create(
            MaranDiagnostics.RazorCall,
            location,
            CallSiteClassifier.Display(method),
            Path.GetFileName(MarkupFile(location))));
    }

    // The markup file: where the call's #line directive maps it, else the file the #pragma checksum at the top names.
    private static string MarkupFile(Location location)
    {
        FileLinePositionSpan mapped = location.GetMappedLineSpan();
        if (mapped.HasMappedPath)
        {
            return mapped.Path;
        }

        SyntaxTree tree = location.SourceTree!;
        foreach (SyntaxTrivia trivia in tree.GetRoot().GetLeadingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.PragmaChecksumDirectiveTrivia)
                && trivia.GetStructure() is PragmaChecksumDirectiveTriviaSyntax checksum)
            {
                return checksum.File.ValueText;
            }
        }

        return tree.FilePath;
    }
}
