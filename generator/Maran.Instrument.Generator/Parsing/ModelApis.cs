using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Maran.Instrument.Analyzers.Symbols;
using Maran.Instrument.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Maran.Instrument.Generator.Parsing;

/// <summary>
/// The model, tool and agent APIs the generator intercepts in one compilation: MARAN001's built-in catalog (the
/// generative families; ML.NET, ONNX Runtime and TorchSharp are left out), <c>[assembly: ModelApi]</c> declarations here or in referenced
/// assemblies, <c>[ModelCall]</c> methods, <c>AIFunctionFactory.Create</c>, the Agent Framework's agent runs and, in
/// the instance for a project's <c>maran_instrument.model_apis</c>, the methods it lists.
/// A call matches when its method is listed, or overrides or implements a listed method, as in the analyzers.
/// </summary>
internal sealed class ModelApis
{
    private const string EveryMethod = "*";
    private const string DeclaredComponent = "model";

    // Tensor and classical ML libraries (ML.NET, ONNX Runtime, TorchSharp): their calls are math in tight loops and carry no tokens.
    private static readonly string[] NotIntercepted = ["Microsoft.ML.", "TorchSharp."];

    private static readonly ReferenceCache<ModelApis> s_cache = new(static c => new ModelApis(c, ConfiguredModelApis.None), static (apis, assembly) => apis.HoldsSymbolOf(assembly));
    private static readonly ConditionalWeakTable<Compilation, ConfiguredCache> s_configured = new();

    // A type mapped to null lists every one of its methods.
    private readonly Dictionary<INamedTypeSymbol, HashSet<string>?> _types = new(SymbolEqualityComparer.Default);
    private readonly INamedTypeSymbol? _modelCall;

    private ModelApis(Compilation compilation, ConfiguredModelApis configured)
    {
        foreach ((string typeName, string[] methods) in BuiltInModelApis.All)
        {
            if (Array.Exists(NotIntercepted, prefix => typeName.StartsWith(prefix, StringComparison.Ordinal)))
            {
                continue;
            }

            foreach (INamedTypeSymbol type in compilation.GetTypesByMetadataName(typeName))
            {
                foreach (string method in methods)
                {
                    Add(type, method);
                }
            }
        }

        AddAll(compilation, "Microsoft.Extensions.AI.AIFunctionFactory", "Create");
        AddAll(compilation, "Microsoft.Agents.AI.AIAgent", "RunAsync", "RunStreamingAsync");

        _modelCall = compilation.GetTypeByMetadataName("Maran.Instrument.ModelCallAttribute");
        if (compilation.GetTypeByMetadataName("Maran.Instrument.ModelApiAttribute") is { } modelApi)
        {
            AddDeclared(compilation.Assembly, modelApi);
            foreach (IAssemblySymbol assembly in compilation.SourceModule.ReferencedAssemblySymbols)
            {
                if (UsesMaranInstrument(assembly))
                {
                    AddDeclared(assembly, modelApi);
                }
            }
        }

        foreach ((INamedTypeSymbol type, string method) in configured.Resolve(compilation))
        {
            Add(type, method);
        }

        foreach (KeyValuePair<INamedTypeSymbol, HashSet<string>?> entry in _types)
        {
            if (entry.Value is null)
            {
                HasEveryMethod = true;
            }
            else
            {
                Names.UnionWith(entry.Value);
            }
        }
    }

    /// <summary>The listed method names, for the parser's name filter.</summary>
    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether some type is listed with every method (<c>"*"</c>): then no name is dismissed.</summary>
    public bool HasEveryMethod { get; }

    /// <summary>
    /// The APIs every project has: the catalog, attributes, tools and agents; those of an earlier compilation with the
    /// same references and declarations when they are all declared in references.
    /// </summary>
    public static ModelApis For(Compilation compilation) => s_cache.For(compilation);

    /// <summary>The APIs of <see cref="For(Compilation)"/> plus those <paramref name="configured"/> lists.</summary>
    public static ModelApis For(Compilation compilation, ConfiguredModelApis configured)
    {
        if (configured.Entries.Length == 0)
        {
            return For(compilation);
        }

        ConfiguredCache cache = s_configured.GetValue(compilation, static _ => new ConfiguredCache());
        lock (cache)
        {
            if (cache.Configured != configured || cache.Apis is null)
            {
                cache.Configured = configured;
                cache.Apis = new ModelApis(compilation, configured);
            }

            return cache.Apis;
        }
    }

    private bool HoldsSymbolOf(IAssemblySymbol assembly)
    {
        if (_modelCall is not null && SymbolEqualityComparer.Default.Equals(_modelCall.ContainingAssembly, assembly))
        {
            return true;
        }

        foreach (INamedTypeSymbol type in _types.Keys)
        {
            if (SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, assembly))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="name"/> can be a listed method (a <c>[ModelCall]</c> method is in the attributed names).</summary>
    public bool MayMatch(string name) => HasEveryMethod || Names.Contains(name);

    /// <summary>How calls of <paramref name="method"/> (a definition) are recorded, or null when it is no model, tool or agent API.</summary>
    public MonitoredOperation? Find(IMethodSymbol method, out CallKind kind)
    {
        kind = CallKind.ModelCall;
        for (IMethodSymbol? current = method; current is not null; current = current.OverriddenMethod)
        {
            if (IsListed(current.ContainingType, current.Name))
            {
                return Describe(current.ContainingType, method, out kind);
            }

            if (HasAttribute(current, _modelCall))
            {
                return MonitoredOperation.ForCall(current.ContainingType.Name + "." + current.Name, DeclaredComponent, null, "chat");
            }

            if (ImplementedListedInterface(current) is { } @interface)
            {
                return Describe(@interface, method, out kind);
            }

            if (!current.IsOverride)
            {
                break;
            }
        }

        return null;
    }

    /// <summary>The Microsoft.Extensions.AI client <paramref name="method"/> is called on (its receiver, or an extension's first parameter).</summary>
    public static ClientKind ClientOf(IMethodSymbol method, Compilation compilation)
    {
        ITypeSymbol? client = method.IsExtensionMethod && method.Parameters.Length > 0 ? method.Parameters[0].Type
            : method.IsStatic ? null
            : method.ContainingType;
        if (client is null)
        {
            return ClientKind.None;
        }

        if (IsOrImplements(client, "IChatClient"))
        {
            return compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.CachingChatClient") is null ? ClientKind.Chat : ClientKind.CachingChat;
        }

        return IsOrImplements(client, "IEmbeddingGenerator") ? ClientKind.Embedding : ClientKind.None;
    }

    /// <summary>
    /// How an agent run's interceptor asks the agent about its pipeline: only where the Agent Framework's
    /// <c>OpenTelemetryAgent</c> (<c>UseOpenTelemetry()</c>) can be named, else not at all.
    /// </summary>
    public static ClientKind AgentClientOf(Compilation compilation) =>
        compilation.GetTypeByMetadataName("Microsoft.Agents.AI.OpenTelemetryAgent") is null ? ClientKind.None : ClientKind.Agent;

    private static bool IsOrImplements(ITypeSymbol type, string name)
    {
        if (IsAiType(type, name))
        {
            return true;
        }

        foreach (INamedTypeSymbol @interface in type.AllInterfaces)
        {
            if (IsAiType(@interface, name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAiType(ITypeSymbol type, string name) =>
        type.Name == name && type.ContainingNamespace?.ToDisplayString() == "Microsoft.Extensions.AI";

    // The recorder a listed API's calls share: named after the API ("IChatClient.GetResponseAsync", extension methods
    // after the type they extend), in its family's component, with the GenAI operation and, where the API fixes it, the provider.
    private static MonitoredOperation Describe(INamedTypeSymbol listed, IMethodSymbol method, out CallKind kind)
    {
        string type = listed.IsStatic && method.IsExtensionMethod && method.Parameters.Length > 0 && method.Parameters[0].Type is INamedTypeSymbol extended
            ? extended.Name
            : listed.Name;
        string name = type + "." + method.Name;
        string ns = listed.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        string full = ns + "." + listed.Name;
        kind = CallKind.ModelCall;
        switch (ns)
        {
            case "Microsoft.Extensions.AI" when listed.Name == "AIFunctionFactory":
                kind = CallKind.Tool;
                return MonitoredOperation.ForCall(name, "tools", null, "execute_tool");
            case "Microsoft.Agents.AI":
                kind = CallKind.Agent;
                return MonitoredOperation.ForCall(name, "agents", null, "invoke_agent");
            case "Microsoft.Extensions.AI":
                return MonitoredOperation.ForCall(name, "microsoft.extensions.ai", null, Operation(full));
            case "OpenAI.Chat" or "OpenAI.Embeddings" or "OpenAI.Responses" or "OpenAI.Assistants" or "OpenAI.Images" or "OpenAI.Audio":
                return MonitoredOperation.ForCall(name, "openai", "openai", Operation(full));
            case "OllamaSharp":
                return MonitoredOperation.ForCall(name, "ollama", "ollama", method.Name.StartsWith("Embed", StringComparison.Ordinal) ? "embeddings" : method.Name.StartsWith("Generate", StringComparison.Ordinal) ? "text_completion" : "chat");
            case "LLama" or "LLama.Abstractions" or "LLama.Batched":
                return MonitoredOperation.ForCall(name, "llamasharp", null, listed.Name == "LLamaEmbedder" ? "embeddings" : listed.Name == "ChatSession" ? "chat" : "text_completion");
            default:
                return ns.StartsWith("Microsoft.SemanticKernel", StringComparison.Ordinal)
                    ? MonitoredOperation.ForCall(name, "semantic_kernel", null, Operation(full))
                    : MonitoredOperation.ForCall(name, DeclaredComponent, null, "chat");
        }
    }

    private static string Operation(string type) =>
        type.IndexOf("Embedding", StringComparison.Ordinal) >= 0 ? "embeddings"
        : type.IndexOf("TextGeneration", StringComparison.Ordinal) >= 0 ? "text_completion"
        : type.IndexOf("Image", StringComparison.Ordinal) >= 0 || type.IndexOf("Speech", StringComparison.Ordinal) >= 0 || type.IndexOf("Audio", StringComparison.Ordinal) >= 0 ? "generate_content"
        : "chat";

    // An implementation of a listed interface method; an override reaches it through the base method that implements it.
    private INamedTypeSymbol? ImplementedListedInterface(IMethodSymbol method)
    {
        if (method.IsStatic || method.ContainingType is not { TypeKind: not TypeKind.Interface } type)
        {
            return null;
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
                    return @interface.OriginalDefinition;
                }
            }
        }

        return null;
    }

    private bool IsListed(INamedTypeSymbol type, string methodName) =>
        _types.TryGetValue(type.OriginalDefinition, out HashSet<string>? methods) && (methods is null || methods.Contains(methodName));

    private void AddAll(Compilation compilation, string typeName, params string[] methods)
    {
        foreach (INamedTypeSymbol type in compilation.GetTypesByMetadataName(typeName))
        {
            foreach (string method in methods)
            {
                Add(type, method);
            }
        }
    }

    private void AddDeclared(IAssemblySymbol assembly, INamedTypeSymbol modelApi)
    {
        foreach (AttributeData attribute in assembly.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, modelApi)
                && attribute.ConstructorArguments.Length == 2
                && attribute.ConstructorArguments[0].Value is INamedTypeSymbol type
                && attribute.ConstructorArguments[1].Value is string { Length: > 0 } method)
            {
                Add(type, method);
            }
        }
    }

    private void Add(INamedTypeSymbol type, string method)
    {
        INamedTypeSymbol key = type.OriginalDefinition;
        if (method == EveryMethod)
        {
            _types[key] = null;
        }
        else if (!_types.TryGetValue(key, out HashSet<string>? methods))
        {
            _types[key] = new HashSet<string>(StringComparer.Ordinal) { method };
        }
        else
        {
            methods?.Add(method);
        }
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

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeType)
    {
        if (attributeType is null)
        {
            return false;
        }

        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The configured instance of one compilation (one option value is in force at a time).</summary>
    private sealed class ConfiguredCache
    {
        public ConfiguredModelApis? Configured { get; set; }

        public ModelApis? Apis { get; set; }
    }
}
