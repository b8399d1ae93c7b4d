using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Maran.Instrument.Generator.Parsing;

/// <summary>
/// The symbols the parser compares against. <c>For</c> gives those of a compilation: the generator keeps them across
/// compilations with the same references and declarations (KnownSymbols.Reuse.cs), the analyzers per compilation.
/// </summary>
internal sealed partial class KnownSymbols
{
    // Every symbol found: whether one is declared in source decides if these symbols can serve the next compilation.
    private readonly List<INamedTypeSymbol> _held = [];

    private KnownSymbols(Compilation compilation, INamedTypeSymbol monitorOperation)
    {
        _held.Add(monitorOperation);
        MonitorOperation = monitorOperation;
        MonitorComponent = Lookup(compilation, "Maran.Instrument.MonitorComponentAttribute");
        DoNotMonitor = Lookup(compilation, "Maran.Instrument.DoNotMonitorAttribute");
        Task = Lookup(compilation, "System.Threading.Tasks.Task");
        TaskOfT = Lookup(compilation, "System.Threading.Tasks.Task`1");
        ValueTask = Lookup(compilation, "System.Threading.Tasks.ValueTask");
        ValueTaskOfT = Lookup(compilation, "System.Threading.Tasks.ValueTask`1");
        AsyncEnumerable = Lookup(compilation, "System.Collections.Generic.IAsyncEnumerable`1");
        ExpressionOfT = Lookup(compilation, "System.Linq.Expressions.Expression`1");
        Obsolete = Lookup(compilation, "System.ObsoleteAttribute");
        Experimental = Lookup(compilation, "System.Diagnostics.CodeAnalysis.ExperimentalAttribute");
        UnscopedRef = Lookup(compilation, "System.Diagnostics.CodeAnalysis.UnscopedRefAttribute");
        HasUnsafeAccessor = Lookup(compilation, "System.Runtime.CompilerServices.UnsafeAccessorAttribute") is not null;

        // Generic [UnsafeAccessor] targets arrived in .NET 9 (marked by System.Threading.Lock), type-by-name ones in .NET 10.
        HasGenericUnsafeAccessor = HasUnsafeAccessor && Lookup(compilation, "System.Threading.Lock") is not null;
        HasUnsafeAccessorType = Lookup(compilation, "System.Runtime.CompilerServices.UnsafeAccessorTypeAttribute") is not null;

        // Token usage: read only when the runtime has the reader overloads; the SDK types are looked up by name, never referenced.
        TokenUsageReader = Lookup(compilation, "Maran.Instrument.Telemetry.TokenUsageReader`1");
        TokenUsageInterface = Lookup(compilation, "Maran.Instrument.Telemetry.ITokenUsage");
        ChatResponse = Lookup(compilation, "Microsoft.Extensions.AI.ChatResponse");
        ChatResponseUpdate = Lookup(compilation, "Microsoft.Extensions.AI.ChatResponseUpdate");
        GeneratedEmbeddings = Lookup(compilation, "Microsoft.Extensions.AI.GeneratedEmbeddings`1");
        UsageDetails = Lookup(compilation, "Microsoft.Extensions.AI.UsageDetails");
        ChatCompletion = Lookup(compilation, "OpenAI.Chat.ChatCompletion");
        StreamingChatCompletionUpdate = Lookup(compilation, "OpenAI.Chat.StreamingChatCompletionUpdate");
        ChatTokenUsage = Lookup(compilation, "OpenAI.Chat.ChatTokenUsage");
        ClientResultOfT = Lookup(compilation, "System.ClientModel.ClientResult`1");
        AsyncCollectionResultOfT = !HasGenericUnsafeAccessor ? null : OverridableCollection(Lookup(compilation, "System.ClientModel.AsyncCollectionResult`1"), "GetValuesFromPageAsync", "GetRawPagesAsync");
        CollectionResultOfT = HasGenericUnsafeAccessor && Lookup(compilation, "Maran.Instrument.Profiling.OperationScope") is { } scope && !scope.GetMembers("TrackItems").IsEmpty
            ? OverridableCollection(Lookup(compilation, "System.ClientModel.CollectionResult`1"), "GetValuesFromPage", "GetRawPages")
            : null;
        EmbeddingCollection = Lookup(compilation, "OpenAI.Embeddings.OpenAIEmbeddingCollection");
        ResponseResult = Lookup(compilation, "OpenAI.Responses.ResponseResult");
        AgentResponse = Lookup(compilation, "Microsoft.Agents.AI.AgentResponse");
        AgentResponseUpdate = Lookup(compilation, "Microsoft.Agents.AI.AgentResponseUpdate");
        KernelContent = Lookup(compilation, "Microsoft.SemanticKernel.KernelContent");
        StreamingKernelContent = Lookup(compilation, "Microsoft.SemanticKernel.StreamingKernelContent");
        KernelFunctionResult = Lookup(compilation, "Microsoft.SemanticKernel.FunctionResult");
        ReadOnlyListOfT = Lookup(compilation, "System.Collections.Generic.IReadOnlyList`1");
        OllamaChatStream = Lookup(compilation, "OllamaSharp.Models.Chat.ChatResponseStream");
        OllamaGenerateStream = Lookup(compilation, "OllamaSharp.Models.GenerateResponseStream");
        OllamaEmbed = Lookup(compilation, "OllamaSharp.Models.EmbedResponse");
    }

    public INamedTypeSymbol MonitorOperation { get; }

    public INamedTypeSymbol? MonitorComponent { get; }

    public INamedTypeSymbol? DoNotMonitor { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public INamedTypeSymbol? AsyncEnumerable { get; }

    public INamedTypeSymbol? ExpressionOfT { get; }

    public INamedTypeSymbol? Obsolete { get; }

    public INamedTypeSymbol? Experimental { get; }

    public INamedTypeSymbol? UnscopedRef { get; }

    public INamedTypeSymbol? TokenUsageReader { get; }

    public INamedTypeSymbol? TokenUsageInterface { get; }

    public INamedTypeSymbol? ChatResponse { get; }

    public INamedTypeSymbol? ChatResponseUpdate { get; }

    public INamedTypeSymbol? GeneratedEmbeddings { get; }

    public INamedTypeSymbol? UsageDetails { get; }

    public INamedTypeSymbol? ChatCompletion { get; }

    public INamedTypeSymbol? StreamingChatCompletionUpdate { get; }

    public INamedTypeSymbol? ChatTokenUsage { get; }

    public INamedTypeSymbol? ClientResultOfT { get; }

    /// <summary>System.ClientModel's <c>AsyncCollectionResult&lt;T&gt;</c> (OpenAI SDK streams), when its enumerator can be overridden.</summary>
    public INamedTypeSymbol? AsyncCollectionResultOfT { get; }

    /// <summary>System.ClientModel's <c>CollectionResult&lt;T&gt;</c>, when its enumerator can be overridden and the runtime times enumerables.</summary>
    public INamedTypeSymbol? CollectionResultOfT { get; }

    public INamedTypeSymbol? EmbeddingCollection { get; }

    public INamedTypeSymbol? ResponseResult { get; }

    public INamedTypeSymbol? AgentResponse { get; }

    public INamedTypeSymbol? AgentResponseUpdate { get; }

    public INamedTypeSymbol? KernelContent { get; }

    public INamedTypeSymbol? StreamingKernelContent { get; }

    public INamedTypeSymbol? KernelFunctionResult { get; }

    public INamedTypeSymbol? ReadOnlyListOfT { get; }

    public INamedTypeSymbol? OllamaChatStream { get; }

    public INamedTypeSymbol? OllamaGenerateStream { get; }

    public INamedTypeSymbol? OllamaEmbed { get; }

    public bool HasUnsafeAccessor { get; }

    public bool HasGenericUnsafeAccessor { get; }

    public bool HasUnsafeAccessorType { get; }

    /// <summary>Looks the known symbols of <paramref name="compilation"/> up: null when it does not reference Maran.Instrument.</summary>
    private static KnownSymbols? Resolve(Compilation compilation) =>
        compilation.GetTypeByMetadataName("Maran.Instrument.MonitorOperationAttribute") is { } attribute
        && compilation.GetTypeByMetadataName("Maran.Instrument.Profiling.OperationScope") is not null
            ? new KnownSymbols(compilation, attribute)
            : null;

    /// <summary>Whether one of these symbols is declared in <paramref name="assembly"/>.</summary>
    private bool HoldsSymbolOf(IAssemblySymbol assembly)
    {
        foreach (INamedTypeSymbol symbol in _held)
        {
            if (SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, assembly))
            {
                return true;
            }
        }

        return false;
    }

    private INamedTypeSymbol? Lookup(Compilation compilation, string metadataName)
    {
        INamedTypeSymbol? symbol = compilation.GetTypeByMetadataName(metadataName);
        if (symbol is not null)
        {
            _held.Add(symbol);
        }

        return symbol;
    }

    // A System.ClientModel collection the generated wrapper can derive from: a constructor it can call, and the steps its
    // enumerator takes (the raw pages, the values of a page) to override (System.ClientModel 1.4 and later; earlier
    // versions had other members).
    private static INamedTypeSymbol? OverridableCollection(INamedTypeSymbol? type, string values, string pages)
    {
        if (type is null
            || !type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility is Accessibility.Protected or Accessibility.ProtectedOrInternal or Accessibility.Public)
            || !type.GetMembers(values).OfType<IMethodSymbol>().Any(m => m.IsAbstract && m.DeclaredAccessibility == Accessibility.Protected)
            || type.BaseType is not { } pagesType
            || !pagesType.GetMembers(pages).OfType<IMethodSymbol>().Any(m => m.IsAbstract)
            || !pagesType.GetMembers("GetContinuationToken").OfType<IMethodSymbol>().Any(m => m.IsAbstract))
        {
            return null;
        }

        return type;
    }
}
