using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Maran.Instrument.Generator.Parsing;

/// <summary>
/// What the generator reads of one syntax tree without binding, found in one walk and kept with the tree: its part of
/// the <see cref="DeclarationKey"/>, its bodies in source order, its calls by the name they call with the body each is
/// in, and the methods it declares with the names they call. An edit makes a new tree, and this walk is all the
/// syntax work the new tree costs.
/// </summary>
internal sealed class TreeIndex
{
    private static readonly ConditionalWeakTable<SyntaxTree, TreeIndex> s_byTree = new();

    // Trees this thread walked (not reused): what an edit cost, for the incrementality tests.
    [ThreadStatic]
    private static long t_treesWalked;

    private TreeIndex(ulong key, List<SyntaxNode> bodies, Dictionary<string, List<Call>> callsByName, List<DeclaredMethod> methods)
    {
        Key = key;
        Bodies = bodies;
        CallsByName = callsByName;
        Methods = methods;
    }

    /// <summary>How many trees this thread has walked (an index found again, not reused).</summary>
    internal static long TreesWalked => t_treesWalked;

    /// <summary>The tree's part of the declaration key: every token outside bodies, and the body calls the generator reads.</summary>
    public ulong Key { get; }

    /// <summary>The bodies the declaration key leaves out (see <see cref="DeclarationKey.IsBody"/>), in source order.</summary>
    public List<SyntaxNode> Bodies { get; }

    /// <summary>The invocations by the name they call (<see cref="CallSiteParser.CalledName"/>), in source order.</summary>
    public Dictionary<string, List<Call>> CallsByName { get; }

    /// <summary>The methods and local functions whose bodies make calls, with the names they call.</summary>
    public List<DeclaredMethod> Methods { get; }

    public static TreeIndex For(SyntaxTree tree) => s_byTree.GetValue(tree, static t => Walk(t));

    // One walk of the tree with an explicit stack (deeply nested expressions would overflow a recursive one), in
    // document order: outside the bodies every token is hashed; inside them only nodes are visited.
    private static TreeIndex Walk(SyntaxTree tree)
    {
        t_treesWalked++;
        ulong key = DeclarationKey.Seed;
        var bodies = new List<SyntaxNode>();
        var looked = new List<bool>();
        var bodyNames = new List<string>();
        var callsByName = new Dictionary<string, List<Call>>(StringComparer.Ordinal);
        var methods = new Dictionary<SyntaxNode, DeclaredMethod>();
        var pending = new Stack<Frame>();
        pending.Push(new Frame(tree.GetRoot(), Body: -1, Container: null, InAttributedType: false));
        while (pending.Count > 0)
        {
            Frame frame = pending.Pop();
            if (frame.Item.IsToken)
            {
                SyntaxToken token = frame.Item.AsToken();
                key = DeclarationKey.Mix(DeclarationKey.Mix(key, token.RawKind), StringComparer.Ordinal.GetHashCode(token.Text));
                continue;
            }

            SyntaxNode node = frame.Item.AsNode()!;
            int body = frame.Body;
            SyntaxNode? container = frame.Container;
            bool inAttributedType = frame.InAttributedType;
            if (body < 0 && DeclarationKey.IsBody(node))
            {
                body = bodies.Count;
                bodies.Add(node);
                looked.Add(inAttributedType || node.Parent is MemberDeclarationSyntax { AttributeLists.Count: > 0 });
            }

            switch (node)
            {
                case TypeDeclarationSyntax { AttributeLists.Count: > 0 }:
                    inAttributedType = true;
                    break;
                case MethodDeclarationSyntax or LocalFunctionStatementSyntax:
                    container = node;
                    break;
                case InvocationExpressionSyntax invocation:
                    Index(invocation, body, container, looked, bodyNames, callsByName, methods);
                    break;
            }

            // Children pushed last to first, so they come off the stack in document order; inside a body no token
            // counts for the key, only the calls.
            foreach (SyntaxNodeOrToken child in node.ChildNodesAndTokens().Reverse())
            {
                if (body < 0 || child.IsNode)
                {
                    pending.Push(new Frame(child, body, container, inAttributedType));
                }
            }
        }

        foreach (string name in bodyNames)
        {
            key = DeclarationKey.Mix(key, StringComparer.Ordinal.GetHashCode(name));
        }

        return new TreeIndex(key, bodies, callsByName, [.. methods.Values]);
    }

    // A body's call counts for the key where the generator reads that body (a method that carries an attribute or sits
    // in a type that does) or where it calls a name of the catalog's model APIs; a call through base counts too.
    private static void Index(
        InvocationExpressionSyntax invocation,
        int body,
        SyntaxNode? container,
        List<bool> looked,
        List<string> bodyNames,
        Dictionary<string, List<Call>> callsByName,
        Dictionary<SyntaxNode, DeclaredMethod> methods)
    {
        string? keyName = invocation.Expression is MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax } viaBase
            ? viaBase.Name.Identifier.ValueText
            : CallSiteParser.CalledName(invocation);
        if (body >= 0 && keyName is not null && (looked[body] || DeclarationKey.IsModelApiName(keyName)))
        {
            bodyNames.Add(keyName);
        }

        if (CallSiteParser.CalledName(invocation) is not { } name)
        {
            return;
        }

        if (!callsByName.TryGetValue(name, out List<Call>? calls))
        {
            callsByName[name] = calls = [];
        }

        calls.Add(new Call(invocation, body));
        if (container is not null)
        {
            if (!methods.TryGetValue(container, out DeclaredMethod? method))
            {
                string declared = container is MethodDeclarationSyntax m ? m.Identifier.ValueText : ((LocalFunctionStatementSyntax)container).Identifier.ValueText;
                methods[container] = method = new DeclaredMethod(declared, new HashSet<string>(StringComparer.Ordinal));
            }

            method.Calls.Add(name);
        }
    }

    /// <summary>An invocation and the index of the body it is in (-1 outside every body: a field initializer, a top-level statement).</summary>
    internal readonly record struct Call(InvocationExpressionSyntax Invocation, int Body);

    /// <summary>A method or local function by name, with the names its body calls (a local function's calls are its own).</summary>
    internal sealed record DeclaredMethod(string Name, HashSet<string> Calls);

    private readonly record struct Frame(SyntaxNodeOrToken Item, int Body, SyntaxNode? Container, bool InAttributedType);
}
