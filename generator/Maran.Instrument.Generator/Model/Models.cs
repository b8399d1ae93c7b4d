using System;

namespace Maran.Instrument.Generator.Model;

/// <summary>How the interceptor hands the target's result back, and when the call ends.</summary>
internal enum ReturnShape
{
    Void,
    Value,

    /// <summary>
    /// A value returned in a vector register (<c>float</c>, <c>double</c>, <c>Half</c>, a SIMD vector): the interceptor
    /// calls the target through a frame the JIT does not inline, so the target's loops keep such values in registers.
    /// </summary>
    VectorRegisterValue,
    Task,
    ValueTask,
    Stream,

    /// <summary>System.ClientModel <c>AsyncCollectionResult&lt;T&gt;</c>: a lazy stream, returned in a wrapper that times its enumeration.</summary>
    AsyncCollection,

    /// <summary>System.ClientModel <c>CollectionResult&lt;T&gt;</c>: the synchronous form of <see cref="AsyncCollection"/>.</summary>
    Collection,
}

/// <summary>How the interceptor reaches the target.</summary>
internal enum AccessKind
{
    /// <summary>A direct call: the target is accessible from generated code.</summary>
    Direct,

    /// <summary>Through an <c>[UnsafeAccessor]</c> extern: private or protected instance method.</summary>
    InstanceAccessor,

    /// <summary>Through an <c>[UnsafeAccessor]</c> extern: private or protected static method.</summary>
    StaticAccessor,
}

/// <summary>How the intercepted call's receiver is passed.</summary>
internal enum ReceiverKind
{
    /// <summary>A static method (extension methods included): no receiver.</summary>
    None,

    /// <summary>A reference type: by value.</summary>
    Reference,

    /// <summary>A mutable struct: by <c>ref</c>, so mutation lands on the caller's variable.</summary>
    MutableStruct,

    /// <summary>A readonly struct or readonly member: by <c>in</c>.</summary>
    ReadOnlyStruct,
}

/// <summary>What an intercepted call is: a monitored method of the application, or a model, tool or agent call.</summary>
internal enum CallKind
{
    /// <summary>A <c>[MonitorOperation]</c> method or a public method of a <c>[MonitorComponent]</c> type.</summary>
    Operation,

    /// <summary>A call of a model API of the catalog, <c>[assembly: ModelApi]</c> or <c>[ModelCall]</c>.</summary>
    ModelCall,

    /// <summary><c>AIFunctionFactory.Create</c>: the function it returns is wrapped, so each invocation is recorded.</summary>
    Tool,

    /// <summary>An agent run (<c>AIAgent.RunAsync</c>, <c>RunStreamingAsync</c>): recorded under the agent's name.</summary>
    Agent,
}

/// <summary>The Microsoft.Extensions.AI client a model call is made on, whose provider is known only at run time.</summary>
internal enum ClientKind
{
    /// <summary>The API fixes its provider, or names none.</summary>
    None,

    /// <summary>An <c>IChatClient</c>: provider from its <c>ChatClientMetadata</c>.</summary>
    Chat,

    /// <summary>An <c>IChatClient</c> where <c>CachingChatClient</c> exists: responses may come from its caching middleware.</summary>
    CachingChat,

    /// <summary>An embedding generator: provider from its <c>EmbeddingGeneratorMetadata</c>.</summary>
    Embedding,

    /// <summary>An Agent Framework <c>AIAgent</c> where <c>OpenTelemetryAgent</c> exists: its pipeline may report its runs itself.</summary>
    Agent,
}

/// <summary>Which token usage a result carries, and so which reader the interceptor passes to the runtime.</summary>
internal enum UsageKind
{
    /// <summary>Microsoft.Extensions.AI <c>ChatResponse</c> (and <c>ChatResponse&lt;T&gt;</c>): <c>Usage</c> and <c>ModelId</c>.</summary>
    ChatResponse,

    /// <summary>Microsoft.Extensions.AI <c>ChatResponseUpdate</c>, streamed: <c>UsageContent</c> items in <c>Contents</c>.</summary>
    ChatResponseUpdate,

    /// <summary>Microsoft.Extensions.AI <c>GeneratedEmbeddings&lt;T&gt;</c>: <c>Usage</c>, the first embedding's <c>ModelId</c>.</summary>
    Embeddings,

    /// <summary>OpenAI SDK <c>ChatCompletion</c>: <c>Usage</c> and <c>Model</c>.</summary>
    ChatCompletion,

    /// <summary>OpenAI SDK <c>ClientResult&lt;ChatCompletion&gt;</c>: its <c>Value</c>'s usage.</summary>
    ChatCompletionResult,

    /// <summary>OpenAI SDK <c>StreamingChatCompletionUpdate</c>, streamed: <c>Usage</c> on the last update.</summary>
    StreamingChatCompletionUpdate,

    /// <summary>OpenAI SDK <c>ClientResult&lt;OpenAIEmbeddingCollection&gt;</c>: <c>Usage</c> and <c>Model</c> of its value.</summary>
    EmbeddingCollectionResult,

    /// <summary>OpenAI SDK Responses: <c>ClientResult&lt;ResponseResult&gt;</c> (or <c>OpenAIResponse</c>): <c>Usage</c> and <c>Model</c>.</summary>
    ResponseResult,

    /// <summary>Microsoft Agent Framework <c>AgentResponse</c> (and <c>AgentResponse&lt;T&gt;</c>): <c>Usage</c>.</summary>
    AgentResponse,

    /// <summary>Microsoft Agent Framework <c>AgentResponseUpdate</c>, streamed: <c>UsageContent</c> items in <c>Contents</c>.</summary>
    AgentResponseUpdate,

    /// <summary>Semantic Kernel content (<c>ChatMessageContent</c>, <c>TextContent</c>): the <c>"Usage"</c> its connector puts in <c>Metadata</c>.</summary>
    KernelContent,

    /// <summary>A list of Semantic Kernel contents (<c>GetChatMessageContentsAsync</c>): their metadata usages added up.</summary>
    KernelContents,

    /// <summary>Semantic Kernel <c>FunctionResult</c> (<c>Kernel.InvokeAsync</c>, <c>InvokePromptAsync</c>): the <c>"Usage"</c> in its metadata.</summary>
    KernelFunctionResult,

    /// <summary>Semantic Kernel streamed content, streamed: the <c>"Usage"</c> in the metadata of the chunk that carries it.</summary>
    KernelStreamingContent,

    /// <summary>OllamaSharp chat stream, streamed: <c>PromptEvalCount</c> and <c>EvalCount</c> of the final <c>ChatDoneResponseStream</c>.</summary>
    OllamaChatStream,

    /// <summary>OllamaSharp generate stream, streamed: the final <c>GenerateDoneResponseStream</c>'s counts.</summary>
    OllamaGenerateStream,

    /// <summary>OllamaSharp <c>EmbedResponse</c>: <c>PromptEvalCount</c>.</summary>
    OllamaEmbed,

    /// <summary>A type implementing <c>Maran.Instrument.Telemetry.ITokenUsage</c>.</summary>
    Interface,
}

/// <summary>
/// How to read the tokens of a monitored method's result (for a stream, of each item). The flags say which
/// counts the referenced SDK version has, so the reader compiles against older versions too.
/// </summary>
internal sealed record UsageModel(UsageKind Kind, bool HasCachedCount, bool HasReasoningCount, bool HasOpenAIUsage = false);

/// <summary>One parameter of the intercepted method, as source text.</summary>
internal sealed record ParameterModel(string Name, string Type, string RefKind, bool IsParams, bool IsScoped, bool IsUnscopedRef, bool IsThis);

/// <summary>One type parameter of the interceptor (containing types' first, then the method's), with its constraints as source text.</summary>
internal sealed record TypeParameterModel(string Name, string Constraints);

/// <summary>
/// Everything the emitter needs about one monitored method: its signature as source text and its operation.
/// Pure data, so an unchanged method compares equal across compilations.
/// </summary>
internal sealed record MethodModel(
    string Key,
    string Name,
    string ContainingType,
    string? AccessorTypeName,
    ReceiverKind Receiver,
    bool IsExtension,
    EquatableArray<TypeParameterModel> TypeParameters,
    EquatableArray<string> ContainingTypeParameters,
    EquatableArray<string> MethodTypeParameters,
    EquatableArray<ParameterModel> Parameters,
    string ReturnType,
    string ReturnRefKind,
    ReturnShape Shape,
    AccessKind Access,
    string OperationName,
    string Component,
    string? Model,
    string? Provider,
    string? GenAIOperation,
    string Display,
    EquatableArray<string> SuppressedDiagnostics,
    UsageModel? Usage = null,
    CallKind Kind = CallKind.Operation,
    bool HasInnerModelCalls = false,
    string? ExtensionNamespace = null,
    ClientKind Client = ClientKind.None)
{
    /// <summary>The names the method's source body calls (empty for a method of a reference): what <see cref="Ambient"/> is found from.</summary>
    public EquatableArray<string> BodyCalls { get; init; } = EquatableArray<string>.Empty;

    /// <summary>Whether the operation reaches model calls only through the methods it calls, and so is made their ambient parent.</summary>
    public bool Ambient { get; init; }
}

/// <summary>The monitored operation around a model, tool or agent call site, as its own interceptors register it.</summary>
internal sealed record ParentModel(string Name, string Component, string Display, string? Model, string? Provider, string? GenAIOperation);

/// <summary>One intercepted call: where it is and which method it calls.</summary>
internal sealed record CallSiteModel(
    string FilePath,
    int Position,
    int Version,
    string Data,
    string DisplayLocation,
    MethodModel Method,
    ParentModel? Parent = null) : IComparable<CallSiteModel>
{
    public int CompareTo(CallSiteModel? other) =>
        other is null ? 1 : Position.CompareTo(other.Position);
}

/// <summary>The interceptors of one source file.</summary>
internal sealed record InterceptorFileModel(string FilePath, string HintName, EquatableArray<CallSiteModel> CallSites);

/// <summary>
/// The helpers the compilation's interceptors share, each written once: the token usage readers (one per response
/// type), the client describers (a compilation's chat clients are all of one kind, with or without a response cache),
/// content capture of chat calls, the agent recorder, the wrappers of SDK streams and of created functions, and the
/// diagnostics to suppress where they name an obsolete or experimental API.
/// </summary>
internal sealed record HelpersModel(
    EquatableArray<UsageModel> Usages,
    bool CachedChatResponse,
    ClientKind ChatClients,
    bool EmbeddingGenerators,
    bool EmbeddingTaps,
    bool AgentClients,
    bool ChatContent,
    bool Agents,
    bool AsyncCollections,
    bool Collections,
    bool Tools,
    EquatableArray<string> SuppressedDiagnostics)
{
    /// <summary>Whether no interceptor needs a helper: then no helpers file is written.</summary>
    public bool IsEmpty =>
        Usages.Length == 0 && !CachedChatResponse && ChatClients == ClientKind.None && !EmbeddingGenerators && !EmbeddingTaps && !AgentClients
        && !ChatContent && !Agents && !AsyncCollections && !Collections && !Tools;
}
