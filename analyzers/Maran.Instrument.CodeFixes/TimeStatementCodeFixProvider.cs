using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Maran.Instrument.Analyzers;
using Maran.Instrument.Analyzers.Naming;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace Maran.Instrument.CodeFixes;

/// <summary>
/// MARAN001: times the one statement that makes the model call with <c>profiler.Operation(...)</c>. The statement moves
/// into <c>using (profiler.Operation("get_response", "agent")) { ... }</c>; a declaration is split so its variable stays
/// in scope; where that cannot be done, <c>using var operation = ...;</c> goes before it and times the rest of the block.
/// Offered only where the statement ends when the call does: the call is awaited, consumed by <c>await foreach</c>, or synchronous.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TimeStatementCodeFixProvider))]
[Shared]
public sealed class TimeStatementCodeFixProvider : CodeFixProvider
{
    /// <summary>The fix's equivalence key, shared by every instance so fix-all applies them together.</summary>
    public const string EquivalenceKey = "MARAN001.TimeStatement";

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

            var plans = new Dictionary<StatementSyntax, Plan>();
            foreach (Diagnostic diagnostic in diagnostics)
            {
                if (Prepare(root, diagnostic, semanticModel, context.CancellationToken) is { } plan && !plans.ContainsKey(plan.Statement))
                {
                    plans.Add(plan.Statement, plan);
                }
            }

            return plans.Count == 0 ? document : await ApplyAsync(document, [.. plans.Values], context.CancellationToken).ConfigureAwait(false);
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
            if (Prepare(root, diagnostic, semanticModel, context.CancellationToken) is { } plan)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Time this statement with profiler.Operation(\"{plan.Name}\", \"{plan.Component}\")",
                        ct => ApplyAsync(context.Document, [plan], ct),
                        EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static Plan? Prepare(SyntaxNode root, Diagnostic diagnostic, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation
            || semanticModel.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol called
            || TimedStatement(invocation, semanticModel, cancellationToken) is not { } statement
            || semanticModel.GetEnclosingSymbol(statement.SpanStart, cancellationToken) is not { } enclosing)
        {
            return null;
        }

        INamedTypeSymbol? type = enclosing as INamedTypeSymbol ?? enclosing.ContainingType;
        string name = OperationNames.FromMethodName(called.Name);
        string component = OperationNames.FromTypeName(type?.Name ?? "program");
        ExpressionSyntax profiler = Profiler(semanticModel, statement.SpanStart, enclosing, out bool needsUsing);
        ExpressionSyntax operation = SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, profiler, SyntaxFactory.IdentifierName("Operation")),
            SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(
            [
                SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(name))),
                SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(component))),
            ])));

        bool followed = IsFollowed(statement);
        if (!DeclaresVariables(statement))
        {
            return new Plan(statement, name, component, operation, needsUsing, SplitType: null, Fallback: null) { IsFollowed = followed };
        }

        if (statement is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0, AwaitKeyword.RawKind: 0, IsConst: false } declaration
            && declaration.Declaration.Variables.Count == 1
            && declaration.Declaration.Variables[0] is { Initializer: not null } variable
            && !declaration.Declaration.Type.IsKind(SyntaxKind.RefType)
            && semanticModel.GetDeclaredSymbol(variable, cancellationToken) is ILocalSymbol local
            && IsNameable(local.Type)
            && !variable.Initializer.Value.DescendantNodesAndSelf().Any(IsDesignation))
        {
            // 'var' locals are nullable-annotated; the initializer's own type says whether it can be null.
            ITypeSymbol valueType = semanticModel.GetTypeInfo(variable.Initializer.Value, cancellationToken).Type ?? local.Type;
            TypeSyntax split = declaration.Declaration.Type.IsVar
                ? SyntaxFactory.ParseTypeName(valueType.ToMinimalDisplayString(semanticModel, statement.SpanStart))
                : declaration.Declaration.Type;
            return new Plan(statement, name, component, operation, needsUsing, split, Fallback: null) { IsFollowed = followed };
        }

        // 'using var' may not stand directly in a switch section.
        return statement.Parent is BlockSyntax or GlobalStatementSyntax
            ? new Plan(statement, name, component, operation, needsUsing, SplitType: null, UniqueName(semanticModel, statement.SpanStart))
            : null;
    }

    private static bool IsFollowed(StatementSyntax statement)
    {
        SyntaxNode node = statement.Parent is GlobalStatementSyntax global ? global : statement;
        SyntaxNode? next = node.Parent?.ChildNodes().SkipWhile(n => n != node).Skip(1).FirstOrDefault();
        return next is StatementSyntax or GlobalStatementSyntax
               && !next.GetLeadingTrivia().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia) || t.IsKind(SyntaxKind.EndOfLineTrivia)).Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
    }

    // The statement around the call that ends when the call does; null when the call's result leaves it unawaited.
    private static StatementSyntax? TimedStatement(InvocationExpressionSyntax invocation, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        SyntaxNode outer = invocation.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } configure
                           && configure.Parent is InvocationExpressionSyntax configured
            ? configured
            : invocation;
        bool ends = outer.Parent is AwaitExpressionSyntax
                    || (outer.Parent is ForEachStatementSyntax { AwaitKeyword.RawKind: not 0 } loop && loop.Expression == outer)
                    || !IsAsynchronous(semanticModel.GetTypeInfo(invocation, cancellationToken).Type);
        if (!ends)
        {
            return null;
        }

        for (SyntaxNode? node = invocation.Parent; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax:
                    return null;
                case LabeledStatementSyntax or BlockSyntax:
                    return null;
                case StatementSyntax statement:
                    return statement;
            }
        }

        return null;
    }

    private static bool IsAsynchronous(ITypeSymbol? type) =>
        type is not null
        && (type.GetMembers("GetAwaiter").Any()
            || type.OriginalDefinition.ToDisplayString() == "System.Collections.Generic.IAsyncEnumerable<T>"
            || type.AllInterfaces.Any(i => i.OriginalDefinition.ToDisplayString() == "System.Collections.Generic.IAsyncEnumerable<T>"));

    // Variables a statement declares stay in scope after it (out vars and patterns in expression and if statements too).
    private static bool DeclaresVariables(StatementSyntax statement) =>
        statement is LocalDeclarationStatementSyntax
        || statement.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)).Any(IsDesignation);

    private static bool IsDesignation(SyntaxNode node) => node is SingleVariableDesignationSyntax or DeclarationExpressionSyntax;

    private static bool IsNameable(ITypeSymbol type) => type switch
    {
        { IsAnonymousType: true } or IErrorTypeSymbol => false,
        INamedTypeSymbol named => named.TypeArguments.All(IsNameable),
        IArrayTypeSymbol array => IsNameable(array.ElementType),
        _ => true,
    };

    // The profiler to use: a PerformanceProfiler in scope, else an AdvancedMonitoringSystem's, else the default system's.
    private static ExpressionSyntax Profiler(SemanticModel semanticModel, int position, ISymbol enclosing, out bool needsUsing)
    {
        needsUsing = false;
        bool isStatic = IsStaticContext(enclosing);
        ExpressionSyntax? system = null;
        foreach (ISymbol symbol in semanticModel.LookupSymbols(position))
        {
            ITypeSymbol? type = symbol switch
            {
                ILocalSymbol local when local.DeclaringSyntaxReferences.All(r => r.Span.End <= position) => local.Type,
                // A primary constructor's parameter is instance state: out of reach from static code.
                IParameterSymbol parameter when !isStatic || parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.Constructor } => parameter.Type,
                IFieldSymbol field when field.IsStatic || !isStatic => field.Type,
                IPropertySymbol { Parameters.Length: 0 } property when property.IsStatic || !isStatic => property.Type,
                _ => null,
            };
            string? typeName = type is INamedTypeSymbol { ContainingNamespace: { } ns } named ? ns.ToDisplayString() + "." + named.Name : null;
            if (typeName == "Maran.Instrument.Profiling.PerformanceProfiler")
            {
                return SyntaxFactory.IdentifierName(symbol.Name);
            }

            if (typeName == "Maran.Instrument.AdvancedMonitoringSystem" && system is null)
            {
                system = SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.IdentifierName(symbol.Name), SyntaxFactory.IdentifierName("Profiler"));
            }
        }

        if (system is not null)
        {
            return system;
        }

        needsUsing = !NamespaceImports.IsInScope(semanticModel, position, "AdvancedMonitoringSystem");
        return SyntaxFactory.ParseExpression("AdvancedMonitoringSystem.Default.Profiler");
    }

    // A lambda or local function is a static context when it, or anything around it up to the member, is static.
    private static bool IsStaticContext(ISymbol enclosing)
    {
        ISymbol current = enclosing;
        while (current is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction } function)
        {
            if (function.IsStatic)
            {
                return true;
            }

            current = function.ContainingSymbol;
        }

        return current.IsStatic;
    }

    private static string UniqueName(SemanticModel semanticModel, int position)
    {
        var taken = new HashSet<string>(semanticModel.LookupSymbols(position).Select(s => s.Name));
        string name = "operation";
        for (int i = 2; taken.Contains(name); i++)
        {
            name = "operation" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }

    private static async Task<Document> ApplyAsync(Document document, IReadOnlyList<Plan> plans, CancellationToken cancellationToken)
    {
        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        foreach (Plan plan in plans)
        {
            if (plan.Fallback is { } handleName)
            {
                LocalDeclarationStatementSyntax usingDeclaration = SyntaxFactory.LocalDeclarationStatement(
                        SyntaxFactory.VariableDeclaration(
                            SyntaxFactory.IdentifierName("var"),
                            SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(handleName).WithInitializer(SyntaxFactory.EqualsValueClause(plan.Operation)))))
                    .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword))
                    .WithAdditionalAnnotations(Formatter.Annotation);
                InsertBefore(editor, plan.Statement, usingDeclaration);
            }
            else if (plan.SplitType is { } type)
            {
                var declaration = (LocalDeclarationStatementSyntax)plan.Statement;
                VariableDeclaratorSyntax variable = declaration.Declaration.Variables[0];
                LocalDeclarationStatementSyntax bare = SyntaxFactory.LocalDeclarationStatement(
                        SyntaxFactory.VariableDeclaration(type.WithoutTrivia(), SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(variable.Identifier.WithoutTrivia()))))
                    .WithAdditionalAnnotations(Formatter.Annotation);
                InsertBefore(editor, plan.Statement, bare);
                editor.ReplaceNode(plan.Statement, (current, _) =>
                {
                    var currentDeclaration = (LocalDeclarationStatementSyntax)current;
                    ExpressionSyntax value = currentDeclaration.Declaration.Variables[0].Initializer!.Value;
                    StatementSyntax assignment = SyntaxFactory.ExpressionStatement(SyntaxFactory.AssignmentExpression(
                        SyntaxKind.SimpleAssignmentExpression,
                        SyntaxFactory.IdentifierName(variable.Identifier.WithoutTrivia()),
                        value.WithoutTrivia()));
                    return Wrap(assignment, plan, current);
                });
            }
            else
            {
                editor.ReplaceNode(plan.Statement, (current, _) => Wrap(((StatementSyntax)current).WithoutLeadingTrivia(), plan, current));
            }
        }

        Document changed = editor.GetChangedDocument();
        if (plans.Any(p => p.NeedsUsing) && await changed.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is CompilationUnitSyntax unit)
        {
            changed = changed.WithSyntaxRoot(NamespaceImports.AddRuntimeUsing(unit));
        }

        return await Formatter.FormatAsync(changed, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static UsingStatementSyntax Wrap(StatementSyntax body, Plan plan, SyntaxNode original)
    {
        SyntaxTriviaList trailing = original.GetTrailingTrivia();
        if (plan.IsFollowed)
        {
            trailing = trailing.Add(SyntaxFactory.EndOfLine(NewLine(original)));
        }

        return SyntaxFactory.UsingStatement(declaration: null, expression: plan.Operation, statement: SyntaxFactory.Block(body.WithoutTrailingTrivia()))
            .WithLeadingTrivia(original.GetLeadingTrivia())
            .WithTrailingTrivia(trailing)
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static string NewLine(SyntaxNode node) =>
        node.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } newLine ? newLine : "\n";

    private static void InsertBefore(DocumentEditor editor, StatementSyntax statement, StatementSyntax inserted)
    {
        inserted = inserted.WithLeadingTrivia(statement.GetLeadingTrivia()).WithTrailingTrivia(SyntaxFactory.EndOfLine(NewLine(statement)));
        if (statement.Parent is GlobalStatementSyntax global)
        {
            editor.InsertBefore(global, SyntaxFactory.GlobalStatement(inserted));
        }
        else
        {
            editor.InsertBefore(statement, inserted);
        }
    }

    private sealed record Plan(
        StatementSyntax Statement,
        string Name,
        string Component,
        ExpressionSyntax Operation,
        bool NeedsUsing,
        TypeSyntax? SplitType,
        string? Fallback)
    {
        /// <summary>Whether another statement follows in the same block: a blank line then separates it from the new block.</summary>
        public bool IsFollowed { get; init; }
    }
}
