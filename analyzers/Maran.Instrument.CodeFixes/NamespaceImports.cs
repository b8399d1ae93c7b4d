using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Maran.Instrument.CodeFixes;

/// <summary>Adds <c>using Maran.Instrument;</c> (and the namespaces below it) where the fixes' code needs them, in the order the repository's style asks for.</summary>
internal static class NamespaceImports
{
    public const string RuntimeNamespace = "Maran.Instrument";

    /// <summary>The namespace of the error tracker's types (<c>ErrorSeverity</c>).</summary>
    public const string ErrorsNamespace = "Maran.Instrument.Errors";

    /// <summary>
    /// Whether <paramref name="typeName"/> of the runtime's <paramref name="typeNamespace"/> (its root namespace by
    /// default) binds at <paramref name="position"/> without a new using.
    /// </summary>
    public static bool IsInScope(SemanticModel semanticModel, int position, string typeName, string typeNamespace = RuntimeNamespace) =>
        semanticModel.LookupNamespacesAndTypes(position, name: typeName)
            .Any(s => s is INamedTypeSymbol { ContainingNamespace: { } ns } && ns.ToDisplayString() == typeNamespace);

    /// <summary><paramref name="root"/> with <c>using Maran.Instrument;</c> among its top-level usings: System ones first, then by name.</summary>
    public static CompilationUnitSyntax AddRuntimeUsing(CompilationUnitSyntax root) => AddUsing(root, RuntimeNamespace);

    /// <summary><paramref name="root"/> with <c>using <paramref name="name"/>;</c> among its top-level usings: System ones first, then by name.</summary>
    public static CompilationUnitSyntax AddUsing(CompilationUnitSyntax root, string name)
    {
        if (root.Usings.Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == name))
        {
            return root;
        }

        SyntaxTrivia newLine = SyntaxFactory.EndOfLine(NewLine(root));
        UsingDirectiveSyntax directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(name)).WithTrailingTrivia(newLine);
        if (root.Usings.Count == 0 && root.Externs.Count == 0)
        {
            // The file's header (comments, directives) stays first; a blank line separates the new using from the code.
            SyntaxToken first = root.GetFirstToken(includeZeroWidth: true);
            return root.ReplaceToken(first, first.WithLeadingTrivia(newLine))
                .WithUsings(SyntaxFactory.SingletonList(directive.WithLeadingTrivia(first.LeadingTrivia)));
        }

        int index = 0;
        while (index < root.Usings.Count && SortsBefore(root.Usings[index], name))
        {
            index++;
        }

        return root.WithUsings(root.Usings.Insert(index, directive));
    }

    private static bool SortsBefore(UsingDirectiveSyntax existing, string name)
    {
        if (existing.Alias is not null || !existing.StaticKeyword.IsKind(SyntaxKind.None) || existing.Name is null)
        {
            return false;
        }

        string existingName = existing.Name.ToString();
        bool isSystem = existingName == "System" || existingName.StartsWith("System.", StringComparison.Ordinal);
        return isSystem || string.CompareOrdinal(existingName, name) < 0;
    }

    private static string NewLine(SyntaxNode root) =>
        root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } newLine ? newLine : "\n";
}
