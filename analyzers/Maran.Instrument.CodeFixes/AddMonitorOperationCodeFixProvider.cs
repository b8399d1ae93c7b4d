using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Maran.Instrument.Analyzers;
using Maran.Instrument.Analyzers.Naming;
using Maran.Instrument.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Maran.Instrument.CodeFixes;

/// <summary>
/// MARAN001: monitors the method that makes the model call, by adding
/// <c>[MonitorOperation("&lt;method in snake case&gt;", "&lt;type in snake case&gt;")]</c> to it (through lambdas and
/// local functions, to the method that contains them) and <c>using Maran.Instrument;</c> when needed.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddMonitorOperationCodeFixProvider))]
[Shared]
public sealed class AddMonitorOperationCodeFixProvider : CodeFixProvider
{
    /// <summary>The fix's equivalence key, shared by every instance so fix-all applies them together.</summary>
    public const string EquivalenceKey = "MARAN001.AddMonitorOperation";

    private const string AttributeName = "MonitorOperation";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [MaranDiagnostics.UnmonitoredModelCallId];

    public override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create(async (context, document, diagnostics) =>
        {
            SyntaxNode? root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            SemanticModel? semanticModel = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || semanticModel is null)
            {
                return document;
            }

            MethodDeclarationSyntax[] methods = diagnostics
                .Select(d => MonitorableMethod(root, d, semanticModel, context.CancellationToken))
                .OfType<MethodDeclarationSyntax>()
                .Distinct()
                .ToArray();
            return methods.Length == 0 ? document : await AddAttributesAsync(document, methods, context.CancellationToken).ConfigureAwait(false);
        });

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
            if (MonitorableMethod(root, diagnostic, semanticModel, context.CancellationToken) is not { } method)
            {
                continue;
            }

            (string name, string component) = Names(semanticModel.GetDeclaredSymbol(method, context.CancellationToken)!);
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Monitor '{method.Identifier.ValueText}' as operation \"{name}\" of component \"{component}\"",
                    ct => AddAttributesAsync(context.Document, [method], ct),
                    EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>The operation name and component proposed for <paramref name="method"/>.</summary>
    internal static (string Name, string Component) Names(IMethodSymbol method) =>
        (OperationNames.FromMethodName(method.Name), OperationNames.FromTypeName(method.ContainingType.Name));

    // The ordinary method around the diagnostic, when the generator can intercept it; null in top-level code, accessors, constructors.
    private static MethodDeclarationSyntax? MonitorableMethod(SyntaxNode root, Diagnostic diagnostic, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        SyntaxNode? node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        for (; node is not null; node = node.Parent)
        {
            if (node is MethodDeclarationSyntax method)
            {
                return semanticModel.GetDeclaredSymbol(method, cancellationToken) is { } symbol
                       && KnownSymbols.For(semanticModel.Compilation) is { } known
                       && MethodModelBuilder.WhyNotInterceptable(symbol, semanticModel.Compilation, known) is null
                    ? method
                    : null;
            }

            if (node is MemberDeclarationSyntax or GlobalStatementSyntax)
            {
                return null;
            }
        }

        return null;
    }

    private static async Task<Document> AddAttributesAsync(Document document, IReadOnlyList<MethodDeclarationSyntax> methods, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        SemanticModel? semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return document;
        }

        var attributes = new Dictionary<MethodDeclarationSyntax, AttributeListSyntax>();
        bool needsUsing = false;
        foreach (MethodDeclarationSyntax method in methods)
        {
            (string name, string component) = Names(semanticModel.GetDeclaredSymbol(method, cancellationToken)!);
            needsUsing |= !NamespaceImports.IsInScope(semanticModel, method.SpanStart, AttributeName + "Attribute");
            attributes[method] = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.Attribute(
                    SyntaxFactory.IdentifierName(AttributeName),
                    SyntaxFactory.AttributeArgumentList(SyntaxFactory.SeparatedList(
                    [
                        SyntaxFactory.AttributeArgument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(name))),
                        SyntaxFactory.AttributeArgument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(component))),
                    ])))));
        }

        SyntaxNode updated = root.ReplaceNodes(attributes.Keys, (original, current) => WithAttribute(current, attributes[original]));
        if (needsUsing && updated is CompilationUnitSyntax unit)
        {
            updated = NamespaceImports.AddRuntimeUsing(unit);
        }

        return document.WithSyntaxRoot(updated);
    }

    // The attribute goes on its own line above the method, after any attributes it has, with the method's indentation.
    internal static MethodDeclarationSyntax WithAttribute(MethodDeclarationSyntax method, AttributeListSyntax attribute)
    {
        SyntaxTriviaList leading = method.GetLeadingTrivia();
        SyntaxTrivia indentation = leading.LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia));
        SyntaxTrivia newLine = method.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        if (newLine.IsKind(SyntaxKind.None))
        {
            newLine = SyntaxFactory.EndOfLine("\n");
        }

        if (method.AttributeLists.Count > 0)
        {
            AttributeListSyntax placed = attribute.WithLeadingTrivia(indentation).WithTrailingTrivia(newLine);
            return method.WithAttributeLists(method.AttributeLists.Add(placed));
        }

        // Without attributes, the method's leading trivia (comments, documentation) stays above the new attribute.
        MethodDeclarationSyntax bare = method.WithoutLeadingTrivia();
        SyntaxToken firstToken = bare.GetFirstToken();
        bare = bare.ReplaceToken(firstToken, firstToken.WithLeadingTrivia(indentation));
        return bare.WithAttributeLists(SyntaxFactory.SingletonList(attribute.WithLeadingTrivia(leading).WithTrailingTrivia(newLine)));
    }
}
