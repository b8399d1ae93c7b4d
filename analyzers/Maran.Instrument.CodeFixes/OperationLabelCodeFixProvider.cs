using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Maran.Instrument.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Maran.Instrument.CodeFixes;

/// <summary>
/// MARAN003: replaces a bad operation name or component written as a literal: disallowed characters become '_', and an
/// empty or null one becomes the method's name (or the type's) in snake case.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(OperationLabelCodeFixProvider))]
[Shared]
public sealed class OperationLabelCodeFixProvider : CodeFixProvider
{
    /// <summary>The fix's equivalence key, shared by every instance so fix-all applies them together.</summary>
    public const string EquivalenceKey = "MARAN003.ReplaceLabel";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [MaranDiagnostics.InvalidOperationArgumentId];

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(OperationDeclarationAnalyzer.ReplacementProperty, out string? replacement)
                || replacement is null
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not LiteralExpressionSyntax literal
                || !literal.IsKind(SyntaxKind.StringLiteralExpression) && !literal.IsKind(SyntaxKind.NullLiteralExpression))
            {
                // Only a literal is replaced: a constant defined elsewhere may be used for other things too.
                continue;
            }

            diagnostic.Properties.TryGetValue(OperationDeclarationAnalyzer.ArgumentProperty, out string? argument);
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Use \"{replacement}\" as the {(argument == "name" ? "operation name" : "component")}",
                    _ =>
                    {
                        LiteralExpressionSyntax fixedLiteral = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(replacement))
                            .WithTriviaFrom(literal);
                        return Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(literal, fixedLiteral)));
                    },
                    EquivalenceKey),
                diagnostic);
        }
    }
}
