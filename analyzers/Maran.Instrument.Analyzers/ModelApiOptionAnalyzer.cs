using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Maran.Instrument.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Maran.Instrument.Analyzers;

/// <summary>
/// MARAN009: an entry of <c>maran_instrument.model_apis</c> that declares no model API, because it is malformed or
/// names a type or method the compilation does not have, and a value set in an .editorconfig section, which neither
/// the generator nor MARAN001 reads (they read the project's global options only). One diagnostic per entry.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ModelApiOptionAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [MaranDiagnostics.InvalidModelApiEntry];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationAction(Analyze);
    }

    private static void Analyze(CompilationAnalysisContext context)
    {
        AnalyzerConfigOptionsProvider provider = context.Options.AnalyzerConfigOptionsProvider;
        provider.GlobalOptions.TryGetValue(ConfiguredModelApis.OptionName, out string? global);
        foreach ((string entry, string problem) in ConfiguredModelApis.Parse(global).Problems(context.Compilation))
        {
            context.ReportDiagnostic(Diagnostic.Create(MaranDiagnostics.InvalidModelApiEntry, Location.None, entry, problem));
        }

        // A per-file value (an .editorconfig section) differs from the global one: say once per value where it is set.
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (SyntaxTree tree in context.Compilation.SyntaxTrees)
        {
            if (provider.GetOptions(tree).TryGetValue(ConfiguredModelApis.OptionName, out string? local)
                && !string.IsNullOrWhiteSpace(local)
                && !string.Equals(local, global, StringComparison.Ordinal)
                && reported.Add(local))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    MaranDiagnostics.InvalidModelApiEntry,
                    Location.None,
                    local.Trim(),
                    $"it is set for '{System.IO.Path.GetFileName(tree.FilePath)}' by an .editorconfig section, and the option is read only from the project's global analyzer config (.globalconfig, or an .editorconfig with is_global = true): move it there"));
            }
        }
    }
}
