using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Maran.Instrument.CodeFixes;

/// <summary>Adds <c>using Maran.Instrument;</c> where the fixes' code needs it, in the order the repository's style asks for.</summary>
internal static class NamespaceImports
{
    public const string RuntimeNamespace = "Maran.Instrument";

    /// <summary>Whether <paramref name="typeName"/> of the runtime binds at <paramref name="position"/> without a new using.</summary>
    public static bool IsInScope(SemanticModel semanticModel, int position, string typeName) =>
        semanticModel.LookupNamespacesAndTypes(position, name: typeName)
            .Any(s => s is INamedTypeSymbol { ContainingNamespace: { } ns } && ns.ToDisplayString() == RuntimeNamespace);

    /// <summary><paramref name="root"/> with <c>using Maran.Instrument;</c> among its top-level usings: System ones first, then by name.</summary>
    public static CompilationUnitSyntax AddRuntimeUsing(CompilationUnitSyntax root)
    {
        if (root.Usings.Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == RuntimeNamespace))
        {
            return root;
        }

        SyntaxTrivia newLine = SyntaxFactory.EndOfLine(NewLine(root));
        UsingDirectiveSyntax directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(RuntimeNamespace)).WithTrailingTrivia(newLine);
        if (root.Usings.Count == 0 && root.Externs.Count == 0)
        {
            // The file's header (comments, directives) stays first; a blank line separates the new using from the code.
            SyntaxToken first = root.GetFirstToken(includeZeroWidth: true);
            return root.ReplaceToken(first, first.WithLeadingTrivia(newLine))
                .WithUsings(SyntaxFactory.SingletonList(directive.WithLeadingTrivia(first.LeadingTrivia)));
        }

        int index = 0;
        while (index < root.Usings.Count && SortsBefore(root.Usings[index]))
        {
            index++;
        }

        return root.WithUsings(root.Usings.Insert(index, directive));
    }

    private static bool SortsBefore(UsingDirectiveSyntax existing)
    {
        if (existing.Alias is not null || !existing.StaticKeyword.IsKind(SyntaxKind.None) || existing.Name is null)
        {
            return false;
        }

        string name = existing.Name.ToString();
        bool isSystem = name == "System" || name.StartsWith("System.", StringComparison.Ordinal);
        return isSystem || string.CompareOrdinal(name, RuntimeNamespace) < 0;
    }

    private static string NewLine(SyntaxNode root) =>
        root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } newLine ? newLine : "\n";
}
