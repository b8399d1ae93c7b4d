using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Maran.Instrument.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Maran.Instrument.Generator.Parsing;

/// <summary>
/// Finds the monitored operations whose model calls happen in methods they call rather than in their own body: a
/// handler that calls a service that calls the model. Their call site cannot name them as the model call's parent, so
/// their interceptors make them the ambient operation (an async-local frame) for the calls inside, whatever call trees
/// say. Found by name, from syntax only: a method reaches the model when its body calls the name of a model API the
/// compilation calls, or of a method that reaches it. Names overlap, so this may mark an operation that reaches no
/// model; that costs it one frame per call, never a wrong parent.
/// </summary>
internal static class AmbientOperations
{
    // The methods each tree declares, with the names their bodies call; syntax only, kept with the tree.
    private static readonly ConditionalWeakTable<SyntaxTree, DeclaredMethod[]> s_declared = new();

    /// <summary>The names <paramref name="method"/>'s source bodies call, sorted; empty for a method declared in a reference.</summary>
    public static EquatableArray<string> CalledNames(IMethodSymbol method)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (SyntaxReference reference in method.DeclaringSyntaxReferences)
        {
            AddCalledNames(reference.GetSyntax(), names);
        }

        return names.ToEquatableArray();
    }

    /// <summary>
    /// Marks the call sites of monitored operations that reach a model call only through the methods they call. Returns
    /// <paramref name="sites"/> itself when no site is marked.
    /// </summary>
    public static List<CallSiteModel> Mark(List<CallSiteModel> sites, ImmutableArray<SyntaxTree> trees)
    {
        var modelApis = new HashSet<string>(
            sites.Where(s => s.Method.Kind is CallKind.ModelCall or CallKind.Agent).Select(s => s.Method.Name),
            StringComparer.Ordinal);
        if (modelApis.Count == 0 || !sites.Any(s => s.Method.Kind == CallKind.Operation && s.Method.BodyCalls.Length > 0))
        {
            return sites;
        }

        var monitored = new HashSet<string>(sites.Where(s => s.Method.Kind == CallKind.Operation).Select(s => s.Method.Name), StringComparer.Ordinal);
        HashSet<string> reaching = Reaching(modelApis, monitored, trees);
        if (reaching.Count == 0)
        {
            return sites;
        }

        return [.. sites.Select(s => s.Method.Kind == CallKind.Operation && s.Method.BodyCalls.AsImmutableArray().Any(reaching.Contains)
            ? s with { Method = s.Method with { Ambient = true } }
            : s)];
    }

    // The names of the methods that call a model API, directly or through other methods of the compilation; the APIs
    // themselves are left out, since a direct call names its operation at the call site. A monitored method passes
    // nothing on: the model calls under it belong to it (as their lexical or ambient parent), not to its callers.
    private static HashSet<string> Reaching(HashSet<string> modelApis, HashSet<string> monitored, ImmutableArray<SyntaxTree> trees)
    {
        DeclaredMethod[] declared = [.. trees.SelectMany(t => s_declared.GetValue(t, static tree => Declare(tree)))];
        var reaching = new HashSet<string>(StringComparer.Ordinal);
        var marked = new bool[declared.Length];
        bool grew = true;
        while (grew)
        {
            grew = false;
            for (int i = 0; i < declared.Length; i++)
            {
                if (!marked[i] && !monitored.Contains(declared[i].Name) && declared[i].Calls.Any(n => modelApis.Contains(n) || reaching.Contains(n)))
                {
                    marked[i] = true;
                    reaching.Add(declared[i].Name);
                    grew = true;
                }
            }
        }

        reaching.ExceptWith(modelApis);
        return reaching;
    }

    // The methods and local functions of a tree with the names their bodies call, from the tree's index of calls by name
    // (a local function's calls are its own; the method around it calls it by name).
    private static DeclaredMethod[] Declare(SyntaxTree tree)
    {
        var methods = new Dictionary<SyntaxNode, DeclaredMethod>();
        foreach (KeyValuePair<string, List<InvocationExpressionSyntax>> calls in CallSiteParser.CallsByName(tree))
        {
            foreach (InvocationExpressionSyntax invocation in calls.Value)
            {
                SyntaxNode? container = invocation.Ancestors().FirstOrDefault(static n => n is MethodDeclarationSyntax or LocalFunctionStatementSyntax);
                if (container is null)
                {
                    continue;
                }

                if (!methods.TryGetValue(container, out DeclaredMethod? method))
                {
                    string name = container is MethodDeclarationSyntax declared
                        ? declared.Identifier.ValueText
                        : ((LocalFunctionStatementSyntax)container).Identifier.ValueText;
                    methods[container] = method = new DeclaredMethod(name, new HashSet<string>(StringComparer.Ordinal));
                }

                method.Calls.Add(calls.Key);
            }
        }

        return [.. methods.Values];
    }

    private static void AddCalledNames(SyntaxNode declaration, SortedSet<string> names)
    {
        foreach (InvocationExpressionSyntax invocation in declaration.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (CallSiteParser.CalledName(invocation) is { } name)
            {
                names.Add(name);
            }
        }
    }

    private sealed record DeclaredMethod(string Name, HashSet<string> Calls);
}
