using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
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
    // The latest search per project (by its first tree's path): an edit that changes no method's called names (most
    // keystrokes) and no set of names the search starts from finds the same methods, so it searches nothing again.
    // Bounded: cleared past this many projects.
    private const int MaxProjectsKept = 64;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Search> s_latest = new(StringComparer.Ordinal);

    // Searches this thread made (not reused): what an edit cost, for the incrementality tests.
    [ThreadStatic]
    private static long t_searches;

    /// <summary>How many searches for the methods that reach a model call this thread made (not reused).</summary>
    internal static long Searches => t_searches;

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
        List<TreeIndex.DeclaredMethod>[] methods = [.. trees.Select(t => TreeIndex.For(t).Methods)];
        string project = trees.Length > 0 ? trees[0].FilePath : string.Empty;
        if (s_latest.TryGetValue(project, out Search? latest) && latest.Answers(methods, modelApis, monitored))
        {
            return latest.Reaching;
        }

        t_searches++;
        HashSet<string> reaching = Reaching(modelApis, monitored, methods);
        if (s_latest.Count > MaxProjectsKept)
        {
            s_latest.Clear();
        }

        s_latest[project] = new Search(methods, modelApis, monitored, reaching);
        return reaching;
    }

    private static HashSet<string> Reaching(HashSet<string> modelApis, HashSet<string> monitored, List<TreeIndex.DeclaredMethod>[] methods)
    {
        TreeIndex.DeclaredMethod[] declared = [.. methods.SelectMany(m => m)];
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

    /// <summary>A search's inputs (the methods of each tree, the names it starts from) and its answer.</summary>
    private sealed class Search(List<TreeIndex.DeclaredMethod>[] methods, HashSet<string> modelApis, HashSet<string> monitored, HashSet<string> reaching)
    {
        public HashSet<string> Reaching { get; } = reaching;

        // An unchanged tree gives the very same list; a new one (the edited file) is compared name by name.
        public bool Answers(List<TreeIndex.DeclaredMethod>[] current, HashSet<string> currentApis, HashSet<string> currentMonitored)
        {
            if (current.Length != methods.Length || !modelApis.SetEquals(currentApis) || !monitored.SetEquals(currentMonitored))
            {
                return false;
            }

            for (int i = 0; i < current.Length; i++)
            {
                if (!ReferenceEquals(current[i], methods[i]) && !Same(current[i], methods[i]))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool Same(List<TreeIndex.DeclaredMethod> left, List<TreeIndex.DeclaredMethod> right)
        {
            if (left.Count != right.Count)
            {
                return false;
            }

            for (int i = 0; i < left.Count; i++)
            {
                if (!string.Equals(left[i].Name, right[i].Name, StringComparison.Ordinal) || !left[i].Calls.SetEquals(right[i].Calls))
                {
                    return false;
                }
            }

            return true;
        }
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
}
