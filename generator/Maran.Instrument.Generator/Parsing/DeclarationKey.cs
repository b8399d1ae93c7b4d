using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Maran.Instrument.Analyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Maran.Instrument.Generator.Parsing;

/// <summary>
/// A key for what a compilation declares: its references, options and, per tree, every token outside method,
/// accessor and expression bodies (signatures, attributes, field initializers, usings), plus the names a body calls
/// where the generator looks at bodies (methods that carry an attribute or sit in a type that does: whether a
/// monitored method makes model calls; any body: calls of the catalog's model APIs). How a call in a tree binds,
/// and what the generator makes of it, depends on that tree and on this key only, so an edit inside an ordinary
/// method body (most keystrokes in an IDE) leaves the key, and the call sites of every other tree, unchanged. Each
/// tree's part is computed once per tree object; successive compilations share their unchanged trees.
/// </summary>
internal static class DeclarationKey
{
    private const ulong Prime = 1099511628211;

    private static readonly ConditionalWeakTable<Compilation, StrongBox<ulong>> s_compilations = new();
    private static readonly ConditionalWeakTable<SyntaxTree, StrongBox<ulong>> s_trees = new();
    private static readonly HashSet<string> s_modelApiNames = new(
        BuiltInModelApis.All.SelectMany(api => api.Methods).Concat(["Create", "RunAsync", "RunStreamingAsync"]),
        StringComparer.Ordinal);

    public static ulong Of(Compilation compilation) => s_compilations.GetValue(compilation, static c => new StrongBox<ulong>(Compute(c))).Value;

    private static ulong Compute(Compilation compilation)
    {
        ulong key = 14695981039346656037;
        key = Mix(key, StringComparer.Ordinal.GetHashCode(compilation.AssemblyName ?? string.Empty));
        // The options that change what the generator writes; CompilationOptions.GetHashCode would hash the compiler's
        // resolvers, some of which do not implement it.
        CompilationOptions options = compilation.Options;
        key = Mix(key, (int)options.OutputKind);
        key = Mix(key, (int)options.NullableContextOptions);
        key = Mix(key, (int)options.OptimizationLevel);
        key = Mix(key, options.CheckOverflow ? 1 : 0);
        foreach (MetadataReference reference in compilation.References)
        {
            key = Mix(key, RuntimeHelpers.GetHashCode(reference));
        }

        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            key = Mix(key, StringComparer.Ordinal.GetHashCode(tree.FilePath));
            key = (key ^ s_trees.GetValue(tree, static t => new StrongBox<ulong>(OfTree(t))).Value) * Prime;
        }

        return key;
    }

    private static ulong OfTree(SyntaxTree tree)
    {
        ulong key = 14695981039346656037;
        SyntaxNode root = tree.GetRoot();
        foreach (SyntaxToken token in root.DescendantTokens(static node => !IsBody(node)))
        {
            key = Mix(key, token.RawKind);
            key = Mix(key, StringComparer.Ordinal.GetHashCode(token.Text));
        }

        foreach (SyntaxNode body in root.DescendantNodes(static node => !IsBody(node)).Where(IsBody))
        {
            bool looked = body.Parent is MemberDeclarationSyntax { AttributeLists.Count: > 0 }
                          || body.Ancestors().OfType<TypeDeclarationSyntax>().Any(t => t.AttributeLists.Count > 0);
            foreach (InvocationExpressionSyntax invocation in body.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (CalledName(invocation) is { } name && (looked || s_modelApiNames.Contains(name)))
                {
                    key = Mix(key, StringComparer.Ordinal.GetHashCode(name));
                }
            }
        }

        return key;
    }

    /// <summary>A body whose content declares nothing: that of a method, constructor, operator or accessor, or an expression body.</summary>
    internal static bool IsBody(SyntaxNode node) => node switch
    {
        BlockSyntax { Parent: BaseMethodDeclarationSyntax or AccessorDeclarationSyntax } => true,
        ArrowExpressionClauseSyntax { Parent: BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or PropertyDeclarationSyntax or IndexerDeclarationSyntax } => true,
        _ => false,
    };

    private static string? CalledName(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => null,
    };

    private static ulong Mix(ulong key, int value) => (key ^ (uint)value) * Prime;
}
