using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Maran.Instrument.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace Maran.Instrument.CodeFixes;

/// <summary>
/// MARAN007: records the caught exception first thing in the catch, as a handled failure (severity Warning) of the
/// operation's component, with <c>AdvancedMonitoringSystem.Default.ErrorTracker.TrackError(...)</c> (<c>global::</c>-qualified
/// where the file does not import Maran.Instrument, with <c>using Maran.Instrument.Errors;</c> added where it does; naming
/// the exception when the catch does not), or rethrows it with
/// <c>throw;</c> where the catch's end is reachable.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SwallowedExceptionCodeFixProvider))]
[Shared]
public sealed class SwallowedExceptionCodeFixProvider : CodeFixProvider
{
    /// <summary>The equivalence key of the fix that records the exception.</summary>
    public const string TrackErrorKey = "MARAN007.TrackError";

    /// <summary>The equivalence key of the fix that rethrows it.</summary>
    public const string RethrowKey = "MARAN007.Rethrow";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [MaranDiagnostics.SwallowedExceptionId];

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<CatchClauseSyntax>() is not { } clause)
            {
                continue;
            }

            string component = diagnostic.Properties.TryGetValue(SwallowedExceptionAnalyzer.ComponentProperty, out string? value) && value is not null ? value : "app";
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Record the exception with ErrorTracker.TrackError",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(WithTrackError(root, clause, component, semanticModel))),
                    TrackErrorKey),
                diagnostic);

            if (semanticModel.AnalyzeControlFlow(clause.Block) is { Succeeded: true, EndPointIsReachable: true })
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Rethrow the exception with 'throw;'",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(clause, WithRethrow(clause)))),
                        RethrowKey),
                    diagnostic);
            }
        }
    }

    private static SyntaxNode WithTrackError(SyntaxNode root, CatchClauseSyntax clause, string component, SemanticModel semanticModel)
    {
        CatchClauseSyntax named = clause;
        string name;
        if (clause.Declaration is { Identifier.RawKind: not 0 } declaration && declaration.Identifier.ValueText.Length > 0)
        {
            name = declaration.Identifier.ValueText;
        }
        else
        {
            name = UniqueName(semanticModel, clause.Block.SpanStart);
            CatchDeclarationSyntax newDeclaration = clause.Declaration is { } existing
                ? existing.WithIdentifier(SyntaxFactory.Identifier(name))
                : SyntaxFactory.CatchDeclaration(SyntaxFactory.ParseTypeName("global::System.Exception").WithAdditionalAnnotations(Simplifier.Annotation), SyntaxFactory.Identifier(name));
            named = clause.Declaration is null
                ? clause.WithCatchKeyword(clause.CatchKeyword.WithTrailingTrivia(SyntaxFactory.Space)).WithDeclaration(newDeclaration.WithTrailingTrivia(clause.CatchKeyword.TrailingTrivia))
                : clause.WithDeclaration(newDeclaration);
        }

        // Short names where the file imports the runtime's namespace (adding the error tracker's beside it), global:: ones elsewhere.
        bool imported = NamespaceImports.IsInScope(semanticModel, clause.Block.SpanStart, "AdvancedMonitoringSystem");
        bool severityInScope = NamespaceImports.IsInScope(semanticModel, clause.Block.SpanStart, "ErrorSeverity", NamespaceImports.ErrorsNamespace);
        string system = imported ? "" : "global::" + NamespaceImports.RuntimeNamespace + ".";
        string severity = imported || severityInScope ? "" : "global::" + NamespaceImports.ErrorsNamespace + ".";
        StatementSyntax track = SyntaxFactory.ParseStatement(
            $"{system}AdvancedMonitoringSystem.Default.ErrorTracker.TrackError({name}, {severity}ErrorSeverity.Warning, {SyntaxFactory.Literal(component).ToFullString()});");
        SyntaxNode updated = root.ReplaceNode(clause, WithStatement(named, track, first: true));
        return imported && !severityInScope && updated is CompilationUnitSyntax unit ? NamespaceImports.AddUsing(unit, NamespaceImports.ErrorsNamespace) : updated;
    }

    private static CatchClauseSyntax WithRethrow(CatchClauseSyntax clause) => WithStatement(clause, SyntaxFactory.ThrowStatement(), first: false);

    // The new statement gets a line of its own, indented one level inside the braces; a block written on one line
    // ("catch (IOException) { }") is first laid out over lines, its brace under the catch.
    private static CatchClauseSyntax WithStatement(CatchClauseSyntax clause, StatementSyntax statement, bool first)
    {
        string newLine = NewLine(clause);
        string indentation = LineIndentation(clause.CatchKeyword);
        BlockSyntax block = clause.Block;
        if (!block.OpenBraceToken.TrailingTrivia.Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)))
        {
            SyntaxToken before = block.OpenBraceToken.GetPreviousToken();
            clause = clause.ReplaceToken(before, before.WithTrailingTrivia(SyntaxFactory.EndOfLine(newLine)));
            block = clause.Block;
            block = SyntaxFactory.Block(
                    block.OpenBraceToken.WithLeadingTrivia(SyntaxFactory.Whitespace(indentation)).WithTrailingTrivia(SyntaxFactory.EndOfLine(newLine)),
                    SyntaxFactory.List(block.Statements.Select(s => OnItsLine(s, indentation + "    ", newLine))),
                    block.CloseBraceToken.WithLeadingTrivia(SyntaxFactory.Whitespace(indentation)));
        }

        string inner = block.Statements.Count > 0
            ? block.Statements[0].GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).ToString()
            : indentation + "    ";
        StatementSyntax placed = OnItsLine(statement, inner, newLine);
        return clause.WithBlock(block.WithStatements(first ? block.Statements.Insert(0, placed) : block.Statements.Add(placed)));
    }

    private static StatementSyntax OnItsLine(StatementSyntax statement, string indentation, string newLine) =>
        statement.WithLeadingTrivia(SyntaxFactory.Whitespace(indentation)).WithTrailingTrivia(SyntaxFactory.EndOfLine(newLine));

    // The indentation of the line <paramref name="token"/> is on.
    private static string LineIndentation(SyntaxToken token)
    {
        SyntaxToken first = token;
        while (first.GetPreviousToken() is { RawKind: not 0 } previous && !previous.TrailingTrivia.Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)))
        {
            first = previous;
        }

        return first.LeadingTrivia.LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).ToString();
    }

    private static string NewLine(SyntaxNode node) =>
        node.SyntaxTree.GetRoot().DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } newLine ? newLine : "\n";

    private static string UniqueName(SemanticModel semanticModel, int position)
    {
        var taken = new HashSet<string>(semanticModel.LookupSymbols(position).Select(s => s.Name));
        foreach (string candidate in new[] { "ex", "exception" })
        {
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }

        string name = "exception2";
        for (int i = 3; taken.Contains(name); i++)
        {
            name = "exception" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }
}
