using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Maran.Instrument.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Maran.Instrument.Generator.Parsing;

/// <summary>
/// Finds the calls of monitored methods: a syntactic filter, a check of the called name against the names a
/// monitored method can have (no binding), then the semantic check. What is learnt of a method is kept per
/// compilation, so a method called from many places is examined once.
/// </summary>
internal static class CallSiteParser
{
    // Verdicts per compilation (they weigh accessibility from its assembly, and its source methods are its own symbols)
    // and set of model APIs (the common one and the configured one differ; either can serve several compilations).
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<ModelApis, ConcurrentDictionary<IMethodSymbol, MethodVerdict>>> s_verdicts = new();
    private static readonly ConditionalWeakTable<SyntaxTree, TreeAnswer> s_answers = new();
    private static readonly ConditionalWeakTable<SyntaxTree, TreeVerdicts> s_sourceVerdicts = new();

    // By file path, what the latest tree of each file gave, body by body: plain text and models, no Roslyn object.
    // Bounded: cleared past this many files (an edit after that binds its file whole again).
    private const int MaxFilesKept = 16384;
    private static readonly ConcurrentDictionary<string, FileAnswer> s_byPath = new(StringComparer.Ordinal);

    // Files whose candidate calls this thread bound: what an edit cost, for the incrementality tests.
    [ThreadStatic]
    private static long t_filesBound;

    // Methods declared in source whose verdict this thread found (not reused from an earlier compilation).
    [ThreadStatic]
    private static long t_methodsExamined;

    /// <summary>How many files this thread has bound candidate calls of (a file's answer found again, not reused).</summary>
    internal static long FilesBound => t_filesBound;

    /// <summary>How many methods declared in source this thread examined (a verdict found again, not reused).</summary>
    internal static long MethodsExamined => t_methodsExamined;

    /// <summary>
    /// The intercepted calls of <paramref name="compilation"/>'s trees, file by file in source order. Only calls of a
    /// name a monitored method or a model API can have are bound. What was found for a file is kept with its tree under
    /// the compilation's <see cref="DeclarationKey"/>: while neither the tree nor what the compilation declares changed,
    /// the answer is the same, and is given without binding anything.
    /// </summary>
    public static EquatableArray<CallSiteModel> Parse(Compilation compilation, CancellationToken cancellationToken)
    {
        ImmutableArray<SyntaxTree> trees = [.. compilation.SyntaxTrees];
        var sites = new List<CallSiteModel>();
        foreach (SyntaxTree tree in trees)
        {
            sites.AddRange(Parse(tree, compilation, cancellationToken));
        }

        return AmbientOperations.Mark(sites, trees).ToEquatableArray();
    }

    private static EquatableArray<CallSiteModel> Parse(SyntaxTree tree, Compilation compilation, CancellationToken cancellationToken)
    {
        ulong key = DeclarationKey.Of(compilation);
        TreeAnswer answer = s_answers.GetValue(tree, static _ => new TreeAnswer());
        lock (answer)
        {
            if (answer.Sites is { } sites && answer.Key == key)
            {
                return sites;
            }
        }

        EquatableArray<CallSiteModel> found = ParseTree(tree, SemanticModelOf(compilation, tree), key, cancellationToken);
        lock (answer)
        {
            answer.Key = key;
            answer.Sites = found;
        }

        return found;
    }

    // Without nullable analysis: a semantic model otherwise runs the nullable walker over every body it binds (in a
    // project with nullable enabled, most of the cost of binding a call), and what the generator reads of a call (the
    // method's original definition, its receiver's type, a lambda's delegate type) does not depend on it. The option is
    // marked experimental (dotnet/roslyn#70609); it is in 4.14, which the generator builds against, and in the .NET 10 SDK's 5.9.
#pragma warning disable RSEXPERIMENTAL001
    private static SemanticModel SemanticModelOf(Compilation compilation, SyntaxTree tree) =>
        compilation.GetSemanticModel(tree, SemanticModelOptions.DisableNullableAnalysis);
#pragma warning restore RSEXPERIMENTAL001

    // A new tree of a file (an edit) under an unchanged declaration key has the same bodies in the same order (adding or
    // removing one changes the key), and a call in a body whose text is unchanged binds as before: so only the calls of
    // bodies whose text changed are bound, and the others keep what was found for them, at their new places.
    private static EquatableArray<CallSiteModel> ParseTree(SyntaxTree tree, SemanticModel semanticModel, ulong key, CancellationToken cancellationToken)
    {
        CandidateNames names = CandidateNames.For(semanticModel.Compilation);
        if (names.IsEmpty)
        {
            return EquatableArray<CallSiteModel>.Empty;
        }

        TreeIndex index = TreeIndex.For(tree);
        var candidates = new List<TreeIndex.Call>();
        foreach (KeyValuePair<string, List<TreeIndex.Call>> calls in index.CallsByName)
        {
            if (names.Contains(calls.Key))
            {
                candidates.AddRange(calls.Value.Where(call => names.MayIntercept(calls.Key, call.Invocation)));
            }
        }

        List<SyntaxNode> bodies = index.Bodies;
        FileAnswer? previous = s_byPath.TryGetValue(tree.FilePath, out FileAnswer? kept) && kept.Key == key && kept.Bodies.Length == bodies.Count ? kept : null;
        var current = new FileAnswer(key, bodies.Count);

        // The model APIs are resolved (some fifty type lookups) only for a file that calls one of the candidate names.
        ModelApis? apis = null;
        var sites = new List<CallSiteModel>();
        foreach (IGrouping<int, InvocationExpressionSyntax> group in candidates.GroupBy(c => c.Body, c => c.Invocation))
        {
            SyntaxNode? body = group.Key < 0 ? null : bodies[group.Key];
            string? text = body?.ToString();
            if (body is not null && previous?.Bodies[group.Key] is { } answer && string.Equals(answer.Text, text, StringComparison.Ordinal))
            {
                foreach (BodyCall call in answer.Calls)
                {
                    var span = new Microsoft.CodeAnalysis.Text.TextSpan(body.SpanStart + call.Offset, call.Length);
                    if (body.FindNode(span, getInnermostNodeForTie: true).AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault(n => n.Span == span) is { } invocation
                        && semanticModel.GetInterceptableLocation(invocation, cancellationToken) is { } location)
                    {
                        sites.Add(new CallSiteModel(tree.FilePath, invocation.SpanStart, location.Version, location.Data, DisplayLocation(invocation), call.Method, call.Parent));
                    }
                }

                current.Bodies[group.Key] = answer;
                continue;
            }

            var found = new List<BodyCall>();
            foreach (InvocationExpressionSyntax invocation in group)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (apis is null)
                {
                    apis = ModelApis.For(semanticModel.Compilation);
                    t_filesBound++;
                }

                if (Parse(invocation, semanticModel, apis, byName: false, cancellationToken) is { } site)
                {
                    sites.Add(site);
                    if (body is not null)
                    {
                        found.Add(new BodyCall(invocation.SpanStart - body.SpanStart, invocation.Span.Length, site.Method, site.Parent));
                    }
                }
            }

            if (body is not null)
            {
                current.Bodies[group.Key] = new BodyAnswer(text!, found);
            }
        }

        if (s_byPath.Count > MaxFilesKept)
        {
            s_byPath.Clear();
        }

        s_byPath[tree.FilePath] = current;
        return sites.OrderBy(s => s.Position).ToEquatableArray();
    }

    /// <summary>What was found for the latest tree of a file: per body, its text and its intercepted calls.</summary>
    private sealed class FileAnswer(ulong key, int bodies)
    {
        public ulong Key { get; } = key;

        public BodyAnswer?[] Bodies { get; } = new BodyAnswer?[bodies];
    }

    /// <summary>A body with candidate calls: its text, and the calls in it the generator intercepts.</summary>
    private sealed class BodyAnswer(string text, List<BodyCall> calls)
    {
        public string Text { get; } = text;

        public List<BodyCall> Calls { get; } = calls;
    }

    /// <summary>An intercepted call, placed relative to its body's start.</summary>
    private sealed record BodyCall(int Offset, int Length, MethodModel Method, ParentModel? Parent);

    // A method declared in one source tree: what the generator makes of it depends on that tree (its body, read for
    // model calls) and on what the compilation declares, so the verdict is kept with the tree under the declaration key
    // and an edit elsewhere does not examine it, or bind its body, again. Verdicts on the project's configured model
    // APIs, and of methods declared in several parts, are found per compilation.
    private static MethodVerdict VerdictOf(IMethodSymbol method, Compilation compilation, KnownSymbols known, ModelApis apis)
    {
        if (method.DeclaringSyntaxReferences.Length != 1 || !ReferenceEquals(apis, ModelApis.For(compilation)))
        {
            return MethodVerdict.Of(method, compilation, known, apis);
        }

        SyntaxReference declaration = method.DeclaringSyntaxReferences[0];
        ulong key = DeclarationKey.Of(compilation);
        TreeVerdicts kept = s_sourceVerdicts.GetValue(declaration.SyntaxTree, static _ => new TreeVerdicts());
        lock (kept)
        {
            if (kept.Key == key && kept.ByPosition.TryGetValue(declaration.Span.Start, out MethodVerdict? verdict))
            {
                return verdict;
            }
        }

        t_methodsExamined++;
        MethodVerdict found = MethodVerdict.Of(method, compilation, known, apis);
        lock (kept)
        {
            if (kept.Key != key)
            {
                kept.Key = key;
                kept.ByPosition.Clear();
            }

            kept.ByPosition[declaration.Span.Start] = found;
        }

        return found;
    }

    /// <summary>The verdicts on the methods one tree declares, under the declaration key they were found with.</summary>
    private sealed class TreeVerdicts
    {
        public ulong Key { get; set; }

        public Dictionary<int, MethodVerdict> ByPosition { get; } = [];
    }

    /// <summary>The intercepted calls of one tree, under the declaration key they were found with.</summary>
    private sealed class TreeAnswer
    {
        public ulong Key { get; set; }

        public EquatableArray<CallSiteModel>? Sites { get; set; }
    }

    /// <summary>
    /// The calls of the model APIs <paramref name="configured"/> lists that the project's other rules do not already
    /// intercept. Only the files that call one of the listed names are bound; which names a file calls is read once per tree (<see cref="TreeIndex"/>).
    /// </summary>
    public static ImmutableArray<CallSiteModel> ParseConfigured(Compilation compilation, ConfiguredModelApis configured, CancellationToken cancellationToken)
    {
        if (configured.Entries.Length == 0 || KnownSymbols.For(compilation) is null)
        {
            return ImmutableArray<CallSiteModel>.Empty;
        }

        ModelApis common = ModelApis.For(compilation);
        ModelApis apis = ModelApis.For(compilation, configured);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach ((INamedTypeSymbol type, string method) in configured.Resolve(compilation))
        {
            if (method == ConfiguredModelApis.EveryMethod)
            {
                names.UnionWith(type.GetMembers().OfType<IMethodSymbol>().Select(m => m.Name));
            }
            else
            {
                names.Add(method);
            }
        }

        var sites = ImmutableArray.CreateBuilder<CallSiteModel>();
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            Dictionary<string, List<TreeIndex.Call>> calls = TreeIndex.For(tree).CallsByName;
            SemanticModel? semanticModel = null;
            foreach (string name in names)
            {
                if (!calls.TryGetValue(name, out List<TreeIndex.Call>? invocations))
                {
                    continue;
                }

                foreach ((InvocationExpressionSyntax invocation, _) in invocations)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    semanticModel ??= SemanticModelOf(compilation, tree);
                    if (Parse(invocation, semanticModel, common, byName: true, cancellationToken) is null
                        && Parse(invocation, semanticModel, apis, byName: false, cancellationToken) is { } site)
                    {
                        sites.Add(site);
                    }
                }
            }
        }

        return sites.ToImmutable();
    }

    private static CallSiteModel? Parse(InvocationExpressionSyntax invocation, SemanticModel semanticModel, ModelApis apis, bool byName, CancellationToken cancellationToken)
    {
        Compilation compilation = semanticModel.Compilation;
        if (CalledName(invocation) is not { } name
            || (byName && !CandidateNames.For(compilation).Contains(name))
            || KnownSymbols.For(compilation) is not { } known)
        {
            return null;
        }

        if (semanticModel.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol called)
        {
            return null;
        }

        IMethodSymbol method = (called.ReducedFrom ?? called).OriginalDefinition;
        MethodVerdict verdict = s_verdicts
            .GetValue(compilation, static _ => new ConcurrentDictionary<ModelApis, ConcurrentDictionary<IMethodSymbol, MethodVerdict>>())
            .GetOrAdd(apis, static _ => new ConcurrentDictionary<IMethodSymbol, MethodVerdict>(SymbolEqualityComparer.Default))
            .GetOrAdd(method, m => VerdictOf(m, compilation, known, apis));
        if (verdict.Model is not { } model
            || ReceiverNeedsBoxing(invocation, method, semanticModel, cancellationToken)
            || IsInExpressionTree(invocation, semanticModel, known, cancellationToken))
        {
            return null;
        }

        ParentModel? parent = null;
        if (model.Kind != CallKind.Operation && !EnclosingOperation(invocation, semanticModel, known, out parent, cancellationToken))
        {
            return null;
        }

        if (semanticModel.GetInterceptableLocation(invocation, cancellationToken) is not { } location)
        {
            return null;
        }

        return new CallSiteModel(
            FilePath: invocation.SyntaxTree.FilePath,
            Position: invocation.SpanStart,
            Version: location.Version,
            Data: location.Data,
            DisplayLocation: DisplayLocation(invocation),
            Method: model,
            Parent: parent);
    }

    /// <summary>
    /// The monitored operation whose body (or a lambda or local function in it) makes a model, tool or agent call, so
    /// the call's tokens and cost go to it. False when a method on the way carries <c>[DoNotMonitor]</c>: its calls are left alone.
    /// </summary>
    private static bool EnclosingOperation(SyntaxNode call, SemanticModel semanticModel, KnownSymbols known, out ParentModel? parent, CancellationToken cancellationToken)
    {
        parent = null;
        for (ISymbol? symbol = semanticModel.GetEnclosingSymbol(call.SpanStart, cancellationToken); symbol is not null; symbol = symbol.ContainingSymbol)
        {
            if (symbol is not IMethodSymbol method)
            {
                if (symbol is INamedTypeSymbol or INamespaceSymbol)
                {
                    break;
                }

                continue;
            }

            if (known.DoNotMonitor is { } doNotMonitor && HasAttribute(method, doNotMonitor))
            {
                return false;
            }

            if (method.MethodKind is MethodKind.AnonymousFunction or MethodKind.LocalFunction)
            {
                continue;
            }

            if (MonitoredOperation.Find(method.OriginalDefinition, known) is { } operation)
            {
                parent = new ParentModel(
                    operation.Name,
                    operation.Component,
                    MethodModelBuilder.Display(method.OriginalDefinition),
                    operation.Model,
                    operation.Provider,
                    operation.GenAIOperation);
            }

            break;
        }

        return true;
    }

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol attributeType)
    {
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return true;
            }
        }

        return false;
    }

    // Whether a monitored method's own body makes model calls the generator intercepts: those report the tokens, so
    // reading them again from the method's result would count them twice.
    private static bool MakesModelCalls(IMethodSymbol method, Compilation compilation, ModelApis apis, KnownSymbols known)
    {
        foreach (SyntaxReference reference in method.DeclaringSyntaxReferences)
        {
            SyntaxNode declaration = reference.GetSyntax();
            SemanticModel? semanticModel = null;
            foreach (InvocationExpressionSyntax invocation in declaration.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (CalledName(invocation) is not { } name || !apis.MayMatch(name) || CandidateNames.IsOnPredefinedType(invocation))
                {
                    continue;
                }

                semanticModel ??= SemanticModelOf(compilation, declaration.SyntaxTree);
                if (semanticModel.GetSymbolInfo(invocation).Symbol is IMethodSymbol called
                    && MonitoredOperation.Find((called.ReducedFrom ?? called).OriginalDefinition, known) is null
                    && apis.Find((called.ReducedFrom ?? called).OriginalDefinition, out CallKind kind) is not null
                    && kind is CallKind.ModelCall or CallKind.Agent)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The name an invocation calls, as written (null for a call through <c>base</c> or of a delegate expression).</summary>
    internal static string? CalledName(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax } => null,
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => null,
    };

    // An instance call on a receiver whose type is a type parameter that may be a struct would reach the
    // interceptor boxed, so a mutation would land on a copy: such calls are left alone (MARAN002 says so).
    private static bool ReceiverNeedsBoxing(InvocationExpressionSyntax invocation, IMethodSymbol method, SemanticModel semanticModel, CancellationToken cancellationToken) =>
        !method.IsStatic
        && invocation.Expression is MemberAccessExpressionSyntax or MemberBindingExpressionSyntax
        && semanticModel.GetOperation(invocation, cancellationToken) is IInvocationOperation { Instance.Type: ITypeParameterSymbol { IsReferenceType: false } };

    // "Program.cs(12,17)": the file name rather than the full path keeps generated comments readable and machine-independent.
    private static string DisplayLocation(InvocationExpressionSyntax invocation)
    {
        SyntaxNode name = invocation.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name,
            MemberBindingExpressionSyntax binding => binding.Name,
            _ => invocation.Expression,
        };
        FileLinePositionSpan span = name.GetLocation().GetLineSpan();
        return $"{System.IO.Path.GetFileName(span.Path)}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})";
    }

    private static bool IsInExpressionTree(SyntaxNode node, SemanticModel semanticModel, KnownSymbols known, CancellationToken cancellationToken)
    {
        for (SyntaxNode? current = node.Parent; current is not null; current = current.Parent)
        {
            if (current is AnonymousFunctionExpressionSyntax)
            {
                if (IsExpressionType(semanticModel.GetTypeInfo(current, cancellationToken).ConvertedType, known))
                {
                    return true;
                }
            }
            else if (current is QueryExpressionSyntax && semanticModel.GetOperation(node, cancellationToken) is { } operation)
            {
                for (IOperation? parent = operation.Parent; parent is not null; parent = parent.Parent)
                {
                    if (parent is IAnonymousFunctionOperation && parent.Parent is IConversionOperation conversion && IsExpressionType(conversion.Type, known))
                    {
                        return true;
                    }
                }
            }
            else if (current is MemberDeclarationSyntax)
            {
                break;
            }
        }

        return false;
    }

    private static bool IsExpressionType(ITypeSymbol? type, KnownSymbols known)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (known.ExpressionOfT is not null && SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, known.ExpressionOfT))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What the generator decided about one method: its model when it is monitored and interceptable.</summary>
    private sealed class MethodVerdict
    {
        private static readonly MethodVerdict NotMonitored = new(null);

        private MethodVerdict(MethodModel? model) => Model = model;

        public MethodModel? Model { get; }

        public static MethodVerdict Of(IMethodSymbol method, Compilation compilation, KnownSymbols known, ModelApis apis)
        {
            if (MonitoredOperation.Find(method, known) is { } operation)
            {
                if (MethodModelBuilder.WhyNotInterceptable(method, compilation, known) is not null)
                {
                    return NotMonitored;
                }

                MethodModel model = MethodModelBuilder.Build(method, operation, compilation, known) with { BodyCalls = AmbientOperations.CalledNames(method) };
                return new MethodVerdict(model.Usage is not null && MakesModelCalls(method, compilation, apis, known) ? model with { HasInnerModelCalls = true } : model);
            }

            if (apis.MayMatch(method.Name)
                && apis.Find(method, out CallKind kind) is { } call
                && MethodModelBuilder.WhyNotInterceptable(method, compilation, known) is null)
            {
                ClientKind client = kind switch
                {
                    CallKind.ModelCall => ModelApis.ClientOf(method, compilation),
                    CallKind.Agent => ModelApis.AgentClientOf(compilation),
                    _ => ClientKind.None,
                };
                return new MethodVerdict(MethodModelBuilder.Build(method, call, compilation, known) with { Kind = kind, Client = client });
            }

            return NotMonitored;
        }
    }
}
