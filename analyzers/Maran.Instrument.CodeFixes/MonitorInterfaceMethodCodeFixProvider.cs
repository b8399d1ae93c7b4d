using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Maran.Instrument.Analyzers;
using Maran.Instrument.Analyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Maran.Instrument.CodeFixes;

/// <summary>
/// MARAN002 on a call through an interface: puts the implementation's <c>[MonitorOperation(...)]</c>, with the same
/// arguments, on the interface method when it is declared in source, so calls through the interface are intercepted too.
/// The implementation keeps its attribute: the generator does not carry an interface method's attribute over to its
/// implementations, so removing it would leave the direct calls untimed. Both name one operation, and each call binds to
/// one of them, so nothing is counted twice.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MonitorInterfaceMethodCodeFixProvider))]
[Shared]
public sealed class MonitorInterfaceMethodCodeFixProvider : CodeFixProvider
{
    /// <summary>The fix's equivalence key.</summary>
    public const string EquivalenceKey = "MARAN002.MonitorInterfaceMethod";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [MaranDiagnostics.UnreachableCallId];

    // Several calls usually name one interface method, in another document: each fix is applied on its own.
    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null || AnalyzerSymbols.For(semanticModel.Compilation) is not { } symbols)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (semanticModel.GetOperation(node, context.CancellationToken) is not IInvocationOperation invocation
                || invocation.TargetMethod.OriginalDefinition is not { ContainingType.TypeKind: TypeKind.Interface } target
                || symbols.FindMonitoredImplementation(target) is not { } implementation
                || AnalyzerSymbols.FindAttribute(implementation, symbols.Known.MonitorOperation) is not { } attribute
                || target.DeclaringSyntaxReferences.FirstOrDefault() is not { } reference
                || context.Document.Project.Solution.GetDocument(reference.SyntaxTree) is not { } interfaceDocument)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Put [MonitorOperation] on '{CallSiteClassifier.Display(target)}' so calls through the interface are timed",
                    ct => AddAttributeAsync(interfaceDocument, reference, attribute, ct),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Solution> AddAttributeAsync(Document document, SyntaxReference reference, AttributeData attribute, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        SemanticModel? semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null || root.FindNode(reference.Span) is not MethodDeclarationSyntax method)
        {
            return document.Project.Solution;
        }

        bool needsUsing = !NamespaceImports.IsInScope(semanticModel, method.SpanStart, "MonitorOperationAttribute");
        SyntaxNode updated = root.ReplaceNode(method, AddMonitorOperationCodeFixProvider.WithAttribute(method, Copy(attribute)));
        if (needsUsing && updated is CompilationUnitSyntax unit)
        {
            updated = NamespaceImports.AddRuntimeUsing(unit);
        }

        return document.WithSyntaxRoot(updated).Project.Solution;
    }

    // The same arguments, written as their values: constants the implementation's file names may not be in scope here.
    private static AttributeListSyntax Copy(AttributeData attribute)
    {
        var arguments = attribute.ConstructorArguments
            .Select(a => SyntaxFactory.AttributeArgument(SyntaxFactory.ParseExpression(a.ToCSharpString())))
            .Concat(attribute.NamedArguments.Select(a => SyntaxFactory.AttributeArgument(SyntaxFactory.ParseExpression(a.Value.ToCSharpString()))
                .WithNameEquals(SyntaxFactory.NameEquals(a.Key))));
        return SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
            SyntaxFactory.Attribute(SyntaxFactory.IdentifierName("MonitorOperation"), SyntaxFactory.AttributeArgumentList(SyntaxFactory.SeparatedList(arguments)))));
    }
}
