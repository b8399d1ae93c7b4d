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
/// tree's part is found once per tree object (<see cref="TreeIndex"/>); successive compilations share their unchanged trees.
/// </summary>
internal static class DeclarationKey
{
    private const ulong Prime = 1099511628211;

    private static readonly ConditionalWeakTable<Compilation, StrongBox<ulong>> s_compilations = new();
    private static readonly HashSet<string> s_modelApiNames = new(
        BuiltInModelApis.All.SelectMany(api => api.Methods).Concat(["Create", "RunAsync", "RunStreamingAsync"]),
        StringComparer.Ordinal);

    public static ulong Of(Compilation compilation) => s_compilations.GetValue(compilation, static c => new StrongBox<ulong>(Compute(c))).Value;

    private static ulong Compute(Compilation compilation)
    {
        ulong key = Seed;
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
            key = (key ^ TreeIndex.For(tree).Key) * Prime;
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

    /// <summary>Whether <paramref name="name"/> is a method name of the catalog's model APIs.</summary>
    internal static bool IsModelApiName(string name) => s_modelApiNames.Contains(name);

    /// <summary>The hash's starting value (FNV-1a).</summary>
    internal const ulong Seed = 14695981039346656037;

    internal static ulong Mix(ulong key, int value) => (key ^ (uint)value) * Prime;
}
