using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Maran.Instrument.Generator.Parsing;

/// <summary>The symbols the parser compares against, looked up once per compilation.</summary>
internal sealed class KnownSymbols
{
    private static readonly ConditionalWeakTable<Compilation, KnownSymbols?> s_cache = new();

    private KnownSymbols(Compilation compilation, INamedTypeSymbol monitorOperation)
    {
        MonitorOperation = monitorOperation;
        MonitorComponent = compilation.GetTypeByMetadataName("Maran.Instrument.MonitorComponentAttribute");
        DoNotMonitor = compilation.GetTypeByMetadataName("Maran.Instrument.DoNotMonitorAttribute");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        AsyncEnumerable = compilation.GetTypeByMetadataName("System.Collections.Generic.IAsyncEnumerable`1");
        ExpressionOfT = compilation.GetTypeByMetadataName("System.Linq.Expressions.Expression`1");
        Obsolete = compilation.GetTypeByMetadataName("System.ObsoleteAttribute");
        Experimental = compilation.GetTypeByMetadataName("System.Diagnostics.CodeAnalysis.ExperimentalAttribute");
        UnscopedRef = compilation.GetTypeByMetadataName("System.Diagnostics.CodeAnalysis.UnscopedRefAttribute");
        HasUnsafeAccessor = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.UnsafeAccessorAttribute") is not null;

        // Generic [UnsafeAccessor] targets arrived in .NET 9 (marked by System.Threading.Lock), type-by-name ones in .NET 10.
        HasGenericUnsafeAccessor = HasUnsafeAccessor && compilation.GetTypeByMetadataName("System.Threading.Lock") is not null;
        HasUnsafeAccessorType = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.UnsafeAccessorTypeAttribute") is not null;

        // Token usage: read only when the runtime has the reader overloads; the SDK types are looked up by name, never referenced.
        TokenUsageReader = compilation.GetTypeByMetadataName("Maran.Instrument.TokenUsageReader`1");
        TokenUsageInterface = compilation.GetTypeByMetadataName("Maran.Instrument.ITokenUsage");
        ChatResponse = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.ChatResponse");
        ChatResponseUpdate = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.ChatResponseUpdate");
        GeneratedEmbeddings = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.GeneratedEmbeddings`1");
        UsageDetails = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.UsageDetails");
        ChatCompletion = compilation.GetTypeByMetadataName("OpenAI.Chat.ChatCompletion");
        StreamingChatCompletionUpdate = compilation.GetTypeByMetadataName("OpenAI.Chat.StreamingChatCompletionUpdate");
        ChatTokenUsage = compilation.GetTypeByMetadataName("OpenAI.Chat.ChatTokenUsage");
        ClientResultOfT = compilation.GetTypeByMetadataName("System.ClientModel.ClientResult`1");
        AsyncCollectionResultOfT = !HasGenericUnsafeAccessor ? null : OverridableCollection(compilation.GetTypeByMetadataName("System.ClientModel.AsyncCollectionResult`1"), "GetValuesFromPageAsync", "GetRawPagesAsync");
        CollectionResultOfT = HasGenericUnsafeAccessor && compilation.GetTypeByMetadataName("Maran.Instrument.OperationScope") is { } scope && !scope.GetMembers("TrackItems").IsEmpty
            ? OverridableCollection(compilation.GetTypeByMetadataName("System.ClientModel.CollectionResult`1"), "GetValuesFromPage", "GetRawPages")
            : null;
        EmbeddingCollection = compilation.GetTypeByMetadataName("OpenAI.Embeddings.OpenAIEmbeddingCollection");
        ResponseResult = compilation.GetTypeByMetadataName("OpenAI.Responses.ResponseResult");
        AgentResponse = compilation.GetTypeByMetadataName("Microsoft.Agents.AI.AgentResponse");
        AgentResponseUpdate = compilation.GetTypeByMetadataName("Microsoft.Agents.AI.AgentResponseUpdate");
        KernelContent = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.KernelContent");
        StreamingKernelContent = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.StreamingKernelContent");
        KernelFunctionResult = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.FunctionResult");
        ReadOnlyListOfT = compilation.GetTypeByMetadataName("System.Collections.Generic.IReadOnlyList`1");
        OllamaChatStream = compilation.GetTypeByMetadataName("OllamaSharp.Models.Chat.ChatResponseStream");
        OllamaGenerateStream = compilation.GetTypeByMetadataName("OllamaSharp.Models.GenerateResponseStream");
        OllamaEmbed = compilation.GetTypeByMetadataName("OllamaSharp.Models.EmbedResponse");
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

    /// <summary>The known symbols of <paramref name="compilation"/>, or null when it does not reference Maran.Instrument.</summary>
    public static KnownSymbols? For(Compilation compilation) =>
        s_cache.GetValue(compilation, static c =>
            c.GetTypeByMetadataName("Maran.Instrument.MonitorOperationAttribute") is { } attribute
            && c.GetTypeByMetadataName("Maran.Instrument.OperationScope") is not null
                ? new KnownSymbols(c, attribute)
                : null);

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
