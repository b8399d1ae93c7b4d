using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Maran.Instrument.Generator.Parsing;

/// <summary>
/// The simple names a monitored method can have in a compilation, so the parser binds only calls of those names.
/// A superset on purpose, read from declarations without binding: every method that carries an attribute, every
/// method of a type that carries one (any part of a partial type), and the monitored methods of referenced
/// assemblies that use Maran.Instrument, and the model, tool and agent APIs' names. Overrides share the name of the
/// method they override, so they are in too.
/// </summary>
internal sealed class CandidateNames
{
    // By declaration key: the names depend on declarations and references only, so an edit inside a body reuses them.
    // Bounded: an IDE session sees a few keys per project at a time.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ulong, CandidateNames> s_byDeclarations = new();
    private static readonly ConditionalWeakTable<Compilation, CandidateNames> s_byCompilation = new();
    private static readonly CandidateNames s_none = new([], [], everyName: false);
    private static readonly ConditionalWeakTable<SyntaxTree, TreeDeclarations> s_byTree = new();
    private static readonly ConditionalWeakTable<IAssemblySymbol, HashSet<string>> s_byAssembly = new();

    private readonly HashSet<string> _names;
    private readonly HashSet<string> _declared;
    private readonly bool _everyName;

    private CandidateNames(HashSet<string> names, HashSet<string> declared, bool everyName)
    {
        _names = names;
        _declared = declared;
        _everyName = everyName;
    }

    public bool Contains(string name) => _everyName || _names.Contains(name);

    /// <summary>
    /// Whether <paramref name="call"/>, of <paramref name="name"/>, may be intercepted: a name only a model API has is
    /// not, on a predefined type (<c>string.Create</c> is no <c>AIFunctionFactory.Create</c>), since no model API is
    /// declared on one. A monitored method's name is bound wherever it is called (a static extension member can
    /// extend <c>string</c>).
    /// </summary>
    public bool MayIntercept(string name, InvocationExpressionSyntax call) =>
        _declared.Contains(name) || (Contains(name) && !IsOnPredefinedType(call));

    /// <summary>Whether <paramref name="call"/> is of a static member of a predefined type, such as <c>string.Create(...)</c>.</summary>
    public static bool IsOnPredefinedType(InvocationExpressionSyntax call) =>
        call.Expression is MemberAccessExpressionSyntax { Expression: PredefinedTypeSyntax };

    /// <summary>Whether no call can be intercepted: the compilation does not reference Maran.Instrument.</summary>
    public bool IsEmpty => !_everyName && _names.Count == 0;

    /// <summary>The names of <paramref name="compilation"/>: none when it does not reference Maran.Instrument.</summary>
    public static CandidateNames For(Compilation compilation) =>
        s_byCompilation.GetValue(compilation, static c =>
        {
            ulong key = DeclarationKey.Of(c);
            if (s_byDeclarations.TryGetValue(key, out CandidateNames? names))
            {
                return names;
            }

            names = KnownSymbols.For(c) is { } known ? Collect(c, known) : s_none;
            if (s_byDeclarations.Count > 64)
            {
                s_byDeclarations.Clear();
            }

            s_byDeclarations[key] = names;
            return names;
        });

    private static CandidateNames Collect(Compilation compilation, KnownSymbols known)
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        var attributedTypes = new HashSet<string>(System.StringComparer.Ordinal);
        var trees = compilation.SyntaxTrees.Select(t => s_byTree.GetValue(t, static tree => TreeDeclarations.Read(tree))).ToList();
        foreach (TreeDeclarations tree in trees)
        {
            names.UnionWith(tree.AttributedMethods);
            attributedTypes.UnionWith(tree.AttributedTypes);
        }

        foreach (TreeDeclarations tree in trees)
        {
            foreach (KeyValuePair<string, List<string>> type in tree.MethodsByType)
            {
                if (attributedTypes.Contains(type.Key))
                {
                    names.UnionWith(type.Value);
                }
            }
        }

        foreach (IAssemblySymbol assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            if (UsesMaranInstrument(assembly))
            {
                names.UnionWith(s_byAssembly.GetValue(assembly, a => MonitoredIn(a, known)));
            }
        }

        // Model, tool and agent APIs: the catalog's method names and those [assembly: ModelApi] declares.
        var declared = new HashSet<string>(names, System.StringComparer.Ordinal);
        ModelApis apis = ModelApis.For(compilation);
        names.UnionWith(apis.Names);
        return new CandidateNames(names, declared, apis.HasEveryMethod);
    }

    private static bool UsesMaranInstrument(IAssemblySymbol assembly)
    {
        foreach (IModuleSymbol module in assembly.Modules)
        {
            foreach (AssemblyIdentity reference in module.ReferencedAssemblies)
            {
                if (reference.Name == "Maran.Instrument")
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static HashSet<string> MonitoredIn(IAssemblySymbol assembly, KnownSymbols known)
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            foreach (ISymbol member in pending.Pop().GetMembers())
            {
                switch (member)
                {
                    case INamespaceOrTypeSymbol container:
                        pending.Push(container);
                        break;
                    case IMethodSymbol method when MonitoredOperation.Find(method, known) is not null:
                        names.Add(method.Name);
                        break;
                }
            }
        }

        return names;
    }

    /// <summary>What one syntax tree declares, read once per tree (trees are shared by successive compilations).</summary>
    private sealed class TreeDeclarations
    {
        public List<string> AttributedMethods { get; } = [];

        public List<string> AttributedTypes { get; } = [];

        public Dictionary<string, List<string>> MethodsByType { get; } = new(System.StringComparer.Ordinal);

        public static TreeDeclarations Read(SyntaxTree tree)
        {
            var declarations = new TreeDeclarations();
            declarations.Visit(tree.GetRoot());
            return declarations;
        }

        private void Visit(SyntaxNode node)
        {
            foreach (SyntaxNode child in node.ChildNodes())
            {
                switch (child)
                {
                    case BaseNamespaceDeclarationSyntax:
                        Visit(child);
                        break;
                    case TypeDeclarationSyntax type:
                        string typeName = type.Identifier.ValueText;
                        if (type.AttributeLists.Count > 0)
                        {
                            AttributedTypes.Add(typeName);
                        }

                        if (!MethodsByType.TryGetValue(typeName, out List<string>? methods))
                        {
                            MethodsByType[typeName] = methods = [];
                        }

                        foreach (MemberDeclarationSyntax member in type.Members)
                        {
                            if (member is MethodDeclarationSyntax method)
                            {
                                methods.Add(method.Identifier.ValueText);
                                if (method.AttributeLists.Count > 0)
                                {
                                    AttributedMethods.Add(method.Identifier.ValueText);
                                }
                            }
                        }

                        Visit(child);
                        break;
                }
            }
        }
    }
}
