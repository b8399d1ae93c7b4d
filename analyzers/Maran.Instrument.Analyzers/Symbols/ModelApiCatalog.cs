using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Maran.Instrument.Analyzers.Symbols;

/// <summary>
/// The methods that call a model, resolved to this compilation's types: the built-in inference APIs, those declared with
/// <c>[assembly: ModelApi]</c> here or in a referenced assembly, and those a global analyzer config lists
/// (<c>maran_instrument.model_apis</c>). Answers are cached per method.
/// </summary>
internal sealed class ModelApiCatalog
{
    private const string EveryMethod = "*";

    // A type mapped to null lists every one of its methods.
    private readonly Dictionary<INamedTypeSymbol, HashSet<string>?> _types;
    private readonly HashSet<string> _names;
    private readonly bool _hasEveryMethod;
    private readonly ConcurrentDictionary<IMethodSymbol, bool> _answers = new(SymbolEqualityComparer.Default);

    private ModelApiCatalog(Dictionary<INamedTypeSymbol, HashSet<string>?> types)
    {
        _types = types;
        _names = new HashSet<string>(StringComparer.Ordinal);
        foreach (HashSet<string>? methods in types.Values)
        {
            if (methods is null)
            {
                _hasEveryMethod = true;
            }
            else
            {
                _names.UnionWith(methods);
            }
        }
    }

    /// <summary>The catalog of <paramref name="symbols"/>' compilation: built-in APIs and <c>[assembly: ModelApi]</c> declarations.</summary>
    public static ModelApiCatalog Create(AnalyzerSymbols symbols)
    {
        Compilation compilation = symbols.Compilation;
        var types = new Dictionary<INamedTypeSymbol, HashSet<string>?>(SymbolEqualityComparer.Default);
        foreach ((string typeName, string[] methods) in BuiltInModelApis.All)
        {
            foreach (INamedTypeSymbol type in compilation.GetTypesByMetadataName(typeName))
            {
                foreach (string method in methods)
                {
                    Add(types, type, method);
                }
            }
        }

        if (symbols.ModelApiAttribute is { } modelApi)
        {
            AddDeclared(types, compilation.Assembly, modelApi);
            foreach (IAssemblySymbol assembly in compilation.SourceModule.ReferencedAssemblySymbols)
            {
                if (symbols.MayCarryAttributes(assembly))
                {
                    AddDeclared(types, assembly, modelApi);
                }
            }
        }

        return new ModelApiCatalog(types);
    }

    /// <summary>This catalog plus <paramref name="extra"/> entries, with a cache of its own.</summary>
    public ModelApiCatalog With(IEnumerable<(INamedTypeSymbol Type, string Method)> extra)
    {
        var types = new Dictionary<INamedTypeSymbol, HashSet<string>?>(SymbolEqualityComparer.Default);
        foreach (KeyValuePair<INamedTypeSymbol, HashSet<string>?> entry in _types)
        {
            types[entry.Key] = entry.Value is null ? null : new HashSet<string>(entry.Value, StringComparer.Ordinal);
        }

        foreach ((INamedTypeSymbol type, string method) in extra)
        {
            Add(types, type, method);
        }

        return new ModelApiCatalog(types);
    }

    /// <summary>A quick filter: false when no listed method has this name, so most calls are dismissed by one hash lookup.</summary>
    public bool MayMatch(string methodName) => _hasEveryMethod || _names.Contains(methodName);

    /// <summary>
    /// Whether <paramref name="method"/> (a definition) calls a model: it is listed, overrides or implements a listed
    /// method, or it (or a method it overrides) carries <paramref name="modelCallAttribute"/>.
    /// </summary>
    public bool IsModelApi(IMethodSymbol method, INamedTypeSymbol? modelCallAttribute) =>
        _answers.GetOrAdd(method, m => Compute(m, modelCallAttribute));

    private bool Compute(IMethodSymbol method, INamedTypeSymbol? modelCallAttribute)
    {
        for (IMethodSymbol? current = method; current is not null; current = current.OverriddenMethod)
        {
            if (IsListed(current.ContainingType, current.Name)
                || AnalyzerSymbols.HasAttribute(current, modelCallAttribute)
                || ImplementsListedInterface(current))
            {
                return true;
            }
        }

        return false;
    }

    // An implementation of a listed interface method; an override reaches it through the base method that implements it.
    private bool ImplementsListedInterface(IMethodSymbol method)
    {
        if (method.IsStatic || method.ContainingType is not { TypeKind: not TypeKind.Interface } type)
        {
            return false;
        }

        foreach (INamedTypeSymbol @interface in type.AllInterfaces)
        {
            if (!IsListed(@interface, method.Name))
            {
                continue;
            }

            foreach (ISymbol member in @interface.GetMembers(method.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member)?.OriginalDefinition, method.OriginalDefinition))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool IsListed(INamedTypeSymbol type, string methodName) =>
        _types.TryGetValue(type.OriginalDefinition, out HashSet<string>? methods) && (methods is null || methods.Contains(methodName));

    private static void AddDeclared(Dictionary<INamedTypeSymbol, HashSet<string>?> types, IAssemblySymbol assembly, INamedTypeSymbol modelApi)
    {
        foreach (AttributeData attribute in assembly.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, modelApi)
                && attribute.ConstructorArguments.Length == 2
                && attribute.ConstructorArguments[0].Value is INamedTypeSymbol type
                && attribute.ConstructorArguments[1].Value is string { Length: > 0 } method)
            {
                Add(types, type, method);
            }
        }
    }

    private static void Add(Dictionary<INamedTypeSymbol, HashSet<string>?> types, INamedTypeSymbol type, string method)
    {
        INamedTypeSymbol key = type.OriginalDefinition;
        if (method == EveryMethod)
        {
            types[key] = null;
        }
        else if (!types.TryGetValue(key, out HashSet<string>? methods))
        {
            types[key] = new HashSet<string>(StringComparer.Ordinal) { method };
        }
        else
        {
            methods?.Add(method);
        }
    }
}
