using System.Collections.Generic;
using System.Linq;
using Maran.Instrument.Generator.Model;

namespace Maran.Instrument.Generator.Emitting;

/// <summary>
/// Writes the static methods that read token usage from model responses, one per response type the compilation's
/// interceptors use, into the shared helpers (see <see cref="HelpersEmitter"/>).
/// Interceptors pass them to <c>OperationScope.Complete</c>/<c>Track</c> as method groups (cached by the compiler),
/// so reading costs a few property reads and no allocation.
/// </summary>
internal static class UsageReaderEmitter
{
    private const string Usage = "global::Maran.Instrument.Telemetry.TokenUsage";
    private const string Ai = "global::Microsoft.Extensions.AI";
    private const string Chat = "global::OpenAI.Chat";

    /// <summary>The helper that picks the ChatResponse reader for a client with or without a response cache.</summary>
    public const string CachedChatResponseReader = "ChatResponseReader";

    /// <summary>
    /// Writes the reader for chat clients with a response cache in their pipeline: a response without a raw
    /// representation was deserialized from the cache (the provider adapters always set it), so its tokens are a cache
    /// hit, counted and not billed. A response read through any other client is read as usual.
    /// </summary>
    public static void WriteCachedChatResponse(SourceWriter writer)
    {
        writer.Line("// A client with a response cache: responses it deserialized from the cache carry no raw representation.");
        writer.Line($"internal static global::Maran.Instrument.Telemetry.TokenUsageReader<{Ai}.ChatResponse> {CachedChatResponseReader}(bool hasResponseCache) =>");
        writer.Line("    hasResponseCache ? ReadCachedChatResponse : ReadChatResponse;");
        writer.Line();
        writer.Line($"private static {Usage} ReadCachedChatResponse({Ai}.ChatResponse? response, bool includeText) =>");
        writer.Line("    response is { RawRepresentation: null } ? ReadChatResponse(response, includeText).AsCacheHit() : ReadChatResponse(response, includeText);");
    }

    /// <summary>The reader an interceptor passes for <paramref name="usage"/>.</summary>
    public static string ReaderName(UsageModel usage) => usage.Kind switch
    {
        UsageKind.Interface => Usage + ".Read",
        _ => HelpersEmitter.Member("Read" + usage.Kind),
    };

    /// <summary>Writes the readers the compilation's interceptors use, each once.</summary>
    public static void WriteReaders(SourceWriter writer, IEnumerable<UsageModel> usages)
    {
        var kinds = usages
            .Where(u => u.Kind != UsageKind.Interface)
            .GroupBy(u => u.Kind)
            .ToDictionary(g => g.Key, g => g.First());
        if (kinds.TryGetValue(UsageKind.ChatCompletionResult, out UsageModel? result) && !kinds.ContainsKey(UsageKind.ChatCompletion))
        {
            kinds[UsageKind.ChatCompletion] = result with { Kind = UsageKind.ChatCompletion };
        }

        if (kinds.Keys.Any(k => k is UsageKind.KernelContent or UsageKind.KernelContents or UsageKind.KernelFunctionResult or UsageKind.KernelStreamingContent))
        {
            writer.Gap();
            WriteKernelMetadata(writer, kinds.Values.First(u => u.Kind is UsageKind.KernelContent or UsageKind.KernelContents or UsageKind.KernelFunctionResult or UsageKind.KernelStreamingContent));
        }

        foreach (UsageModel usage in kinds.Values.OrderBy(u => u.Kind))
        {
            writer.Gap();
            switch (usage.Kind)
            {
                case UsageKind.ChatResponse:
                    WriteChatResponse(writer, usage);
                    break;
                case UsageKind.ChatResponseUpdate:
                    WriteChatResponseUpdate(writer, usage);
                    break;
                case UsageKind.Embeddings:
                    WriteEmbeddings(writer);
                    break;
                case UsageKind.ChatCompletion:
                    WriteChatCompletion(writer, usage);
                    break;
                case UsageKind.ChatCompletionResult:
                    WriteChatCompletionResult(writer);
                    break;
                case UsageKind.StreamingChatCompletionUpdate:
                    WriteStreamingChatCompletionUpdate(writer, usage);
                    break;
                case UsageKind.EmbeddingCollectionResult:
                    WriteEmbeddingCollectionResult(writer);
                    break;
                case UsageKind.ResponseResult:
                    WriteResponseResult(writer, usage);
                    break;
                case UsageKind.AgentResponse:
                    WriteAgentResponse(writer, usage);
                    break;
                case UsageKind.AgentResponseUpdate:
                    WriteAgentResponseUpdate(writer, usage);
                    break;
                case UsageKind.KernelContent:
                    writer.Line("// Reads the usage a Semantic Kernel connector put in a content's metadata.");
                    writer.Line($"internal static {Usage} ReadKernelContent(global::Microsoft.SemanticKernel.KernelContent? content, bool includeText) =>");
                    writer.Line("    content is null ? default : ReadKernelMetadata(content.Metadata, content.ModelId);");
                    break;
                case UsageKind.KernelContents:
                    writer.Line("// Adds up the usage Semantic Kernel's connector put in each returned content's metadata.");
                    writer.Line($"internal static {Usage} ReadKernelContents<TContent>(global::System.Collections.Generic.IReadOnlyList<TContent>? contents, bool includeText)");
                    writer.Line("    where TContent : global::Microsoft.SemanticKernel.KernelContent");
                    writer.Open();
                    writer.Line($"{Usage} total = default;");
                    writer.Line("for (int i = 0; i < (contents?.Count ?? 0); i++)");
                    writer.Open();
                    writer.Line("total = AddUsage(total, ReadKernelMetadata(contents![i].Metadata, contents[i].ModelId));");
                    writer.Close();
                    writer.Gap();
                    writer.Line("return total;");
                    writer.Close();
                    writer.Gap();
                    writer.Line($"private static {Usage} AddUsage({Usage} total, {Usage} item) =>");
                    writer.Line($"    total.IsReported || item.IsReported");
                    writer.Line($"        ? new {Usage}(total.InputTokens + item.InputTokens, total.OutputTokens + item.OutputTokens, total.CachedInputTokens + item.CachedInputTokens, total.ReasoningTokens + item.ReasoningTokens, item.Model ?? total.Model)");
                    writer.Line($"        : {Usage}.Unreported(item.Model ?? total.Model);");
                    break;
                case UsageKind.KernelFunctionResult:
                    writer.Line("// Reads the usage Semantic Kernel put in a function result's metadata (a prompt function's last request).");
                    writer.Line($"internal static {Usage} ReadKernelFunctionResult(global::Microsoft.SemanticKernel.FunctionResult? result, bool includeText) =>");
                    writer.Line("    result is null ? default : ReadKernelMetadata(result.Metadata, null);");
                    break;
                case UsageKind.KernelStreamingContent:
                    writer.Line("// Reads the usage a Semantic Kernel connector put in the metadata of one streamed chunk.");
                    writer.Line($"internal static {Usage} ReadKernelStreamingContent(global::Microsoft.SemanticKernel.StreamingKernelContent? content, bool includeText) =>");
                    writer.Line("    content is null ? default : ReadKernelMetadata(content.Metadata, content.ModelId);");
                    break;
                case UsageKind.OllamaChatStream:
                    writer.Line("// Reads the counts Ollama reports on the last chunk of a chat stream.");
                    writer.Line($"internal static {Usage} ReadOllamaChatStream(global::OllamaSharp.Models.Chat.ChatResponseStream? chunk, bool includeText) =>");
                    writer.Line("    chunk is global::OllamaSharp.Models.Chat.ChatDoneResponseStream done");
                    writer.Line($"        ? new {Usage}(done.PromptEvalCount, done.EvalCount, model: done.Model)");
                    writer.Line($"        : {Usage}.Unreported(chunk?.Model, includeText ? chunk?.Message?.Content : null);");
                    break;
                case UsageKind.OllamaGenerateStream:
                    writer.Line("// Reads the counts Ollama reports on the last chunk of a generate stream.");
                    writer.Line($"internal static {Usage} ReadOllamaGenerateStream(global::OllamaSharp.Models.GenerateResponseStream? chunk, bool includeText) =>");
                    writer.Line("    chunk is global::OllamaSharp.Models.GenerateDoneResponseStream done");
                    writer.Line($"        ? new {Usage}(done.PromptEvalCount, done.EvalCount, model: done.Model)");
                    writer.Line($"        : {Usage}.Unreported(chunk?.Model, includeText ? chunk?.Response : null);");
                    break;
                case UsageKind.OllamaEmbed:
                    writer.Line("// Reads the prompt tokens Ollama reports for embeddings.");
                    writer.Line($"internal static {Usage} ReadOllamaEmbed(global::OllamaSharp.Models.EmbedResponse? response, bool includeText) =>");
                    writer.Line("    response?.PromptEvalCount is { } tokens");
                    writer.Line($"        ? new {Usage}(tokens, 0)");
                    writer.Line($"        : {Usage}.Unreported(null);");
                    break;
            }
        }
    }

    private static string AiCounts(UsageModel usage, string details) =>
        $"{details}.InputTokenCount ?? 0, {details}.OutputTokenCount ?? 0, "
        + (usage.HasCachedCount ? $"{details}.CachedInputTokenCount ?? 0" : "0") + ", "
        + (usage.HasReasoningCount ? $"{details}.ReasoningTokenCount ?? 0" : "0");

    private static string OpenAICounts(UsageModel usage, string details) =>
        $"{details}.InputTokenCount, {details}.OutputTokenCount, "
        + (usage.HasCachedCount ? $"{details}.InputTokenDetails?.CachedTokenCount ?? 0" : "0") + ", "
        + (usage.HasReasoningCount ? $"{details}.OutputTokenDetails?.ReasoningTokenCount ?? 0" : "0");

    private static void WriteChatResponse(SourceWriter writer, UsageModel usage)
    {
        writer.Line("// Reads the usage Microsoft.Extensions.AI reports on a ChatResponse (ChatResponse<T> included).");
        writer.Line($"internal static {Usage} ReadChatResponse({Ai}.ChatResponse? response, bool includeText) =>");
        writer.Line("    response?.Usage is { } usage");
        writer.Line($"        ? new {Usage}({AiCounts(usage, "usage")}, response.ModelId)");
        writer.Line($"        : {Usage}.Unreported(response?.ModelId, includeText ? response?.Text : null);");
    }

    private static void WriteChatResponseUpdate(SourceWriter writer, UsageModel usage) =>
        WriteUsageContentReader(
            writer,
            usage,
            "// Reads the UsageContent of one streamed ChatResponseUpdate; the runtime adds the updates of a stream up.",
            "ReadChatResponseUpdate",
            $"{Ai}.ChatResponseUpdate",
            "update.ModelId");

    // A streamed update whose Contents may hold a UsageContent: Microsoft.Extensions.AI's and the Agent Framework's.
    private static void WriteUsageContentReader(SourceWriter writer, UsageModel usage, string comment, string name, string updateType, string model)
    {
        writer.Line(comment);
        writer.Line($"internal static {Usage} {name}({updateType}? update, bool includeText)");
        writer.Open();
        writer.Line("if (update is null)");
        writer.Open();
        writer.Line("return default;");
        writer.Close();
        writer.Line();
        writer.Line($"global::System.Collections.Generic.IList<{Ai}.AIContent> contents = update.Contents;");
        writer.Line("for (int i = 0; i < contents.Count; i++)");
        writer.Open();
        writer.Line($"if (contents[i] is {Ai}.UsageContent {{ Details: {{ }} usage }})");
        writer.Open();
        writer.Line($"return new {Usage}({AiCounts(usage, "usage")}, {model});");
        writer.Close();
        writer.Close();
        writer.Line();
        writer.Line($"return {Usage}.Unreported({model}, includeText ? update.Text : null);");
        writer.Close();
    }

    private static void WriteEmbeddings(SourceWriter writer)
    {
        writer.Line("// Reads the usage Microsoft.Extensions.AI reports on generated embeddings; the model is the first embedding's.");
        writer.Line($"internal static {Usage} ReadEmbeddings<TEmbedding>({Ai}.GeneratedEmbeddings<TEmbedding>? embeddings, bool includeText)");
        writer.Line($"    where TEmbedding : {Ai}.Embedding =>");
        writer.Line("    embeddings is null");
        writer.Line("        ? default");
        writer.Line("        : embeddings.Usage is { } usage");
        writer.Line($"            ? new {Usage}(usage.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0, model: embeddings.Count > 0 ? embeddings[0].ModelId : null)");
        writer.Line($"            : {Usage}.Unreported(embeddings.Count > 0 ? embeddings[0].ModelId : null);");
    }

    private static void WriteChatCompletion(SourceWriter writer, UsageModel usage)
    {
        writer.Line("// Reads the usage the OpenAI SDK reports on a ChatCompletion.");
        writer.Line($"internal static {Usage} ReadChatCompletion({Chat}.ChatCompletion? completion, bool includeText) =>");
        writer.Line("    completion?.Usage is { } usage");
        writer.Line($"        ? new {Usage}({OpenAICounts(usage, "usage")}, completion.Model)");
        writer.Line($"        : {Usage}.Unreported(completion?.Model, includeText && completion?.Content is {{ Count: > 0 }} content ? content[0].Text : null);");
    }

    private static void WriteChatCompletionResult(SourceWriter writer)
    {
        writer.Line("// Reads the usage of the ChatCompletion inside an OpenAI SDK ClientResult.");
        writer.Line($"internal static {Usage} ReadChatCompletionResult(global::System.ClientModel.ClientResult<{Chat}.ChatCompletion>? result, bool includeText) =>");
        writer.Line("    ReadChatCompletion(result?.Value, includeText);");
    }

    // Semantic Kernel's connectors put the provider's usage object under "Usage": Microsoft.Extensions.AI's for chat
    // clients, the OpenAI SDK's for the OpenAI connector.
    private static void WriteKernelMetadata(SourceWriter writer, UsageModel usage)
    {
        writer.Line("// Reads the \"Usage\" a Semantic Kernel connector put in metadata: Microsoft.Extensions.AI usage or the OpenAI SDK's.");
        writer.Line($"private static {Usage} ReadKernelMetadata(global::System.Collections.Generic.IReadOnlyDictionary<string, object?>? metadata, string? model)");
        writer.Open();
        writer.Line("object? usage = null;");
        writer.Line("if (metadata is null || !metadata.TryGetValue(\"Usage\", out usage))");
        writer.Open();
        writer.Line($"return {Usage}.Unreported(model);");
        writer.Close();
        writer.Line();
        writer.Line("return usage switch");
        writer.Open();
        writer.Line($"{Ai}.UsageDetails details => new {Usage}({AiCounts(usage, "details")}, model),");
        if (usage.HasOpenAIUsage)
        {
            string counts = OpenAICounts(usage with { HasCachedCount = true, HasReasoningCount = true }, "openAI");
            writer.Line($"{Chat}.ChatTokenUsage openAI => new {Usage}({counts}, model),");
        }

        writer.Line($"_ => {Usage}.Unreported(model),");
        writer.Close(";");
        writer.Close();
    }

    private static void WriteEmbeddingCollectionResult(SourceWriter writer)
    {
        writer.Line("// Reads the usage the OpenAI SDK reports on generated embeddings: input tokens only.");
        writer.Line($"internal static {Usage} ReadEmbeddingCollectionResult(global::System.ClientModel.ClientResult<global::OpenAI.Embeddings.OpenAIEmbeddingCollection>? result, bool includeText) =>");
        writer.Line("    result?.Value is { } embeddings");
        writer.Line("        ? embeddings.Usage is { } usage");
        writer.Line($"            ? new {Usage}(usage.InputTokenCount, 0, model: embeddings.Model)");
        writer.Line($"            : {Usage}.Unreported(embeddings.Model)");
        writer.Line("        : default;");
    }

    private static void WriteResponseResult(SourceWriter writer, UsageModel usage)
    {
        writer.Line("// Reads the usage the OpenAI SDK reports on a response of its Responses API.");
        writer.Line($"internal static {Usage} ReadResponseResult(global::System.ClientModel.ClientResult<global::OpenAI.Responses.ResponseResult>? result, bool includeText) =>");
        writer.Line("    result?.Value is { } response");
        writer.Line("        ? response.Usage is { } usage");
        writer.Line($"            ? new {Usage}({OpenAICounts(usage, "usage")}, response.Model)");
        writer.Line($"            : {Usage}.Unreported(response.Model)");
        writer.Line("        : default;");
    }

    private static void WriteAgentResponse(SourceWriter writer, UsageModel usage)
    {
        writer.Line("// Reads the usage the Agent Framework adds up over one agent run (AgentResponse<T> included); the model is the chat response's.");
        writer.Line($"internal static {Usage} ReadAgentResponse(global::Microsoft.Agents.AI.AgentResponse? response, bool includeText) =>");
        writer.Line("    response?.Usage is { } usage");
        writer.Line($"        ? new {Usage}({AiCounts(usage, "usage")}, (response.RawRepresentation as {Ai}.ChatResponse)?.ModelId)");
        writer.Line($"        : {Usage}.Unreported((response?.RawRepresentation as {Ai}.ChatResponse)?.ModelId, includeText ? response?.Text : null);");
    }

    private static void WriteAgentResponseUpdate(SourceWriter writer, UsageModel usage) =>
        WriteUsageContentReader(
            writer,
            usage,
            "// Reads the UsageContent of one streamed AgentResponseUpdate; the runtime adds the updates of a run up.",
            "ReadAgentResponseUpdate",
            "global::Microsoft.Agents.AI.AgentResponseUpdate",
            $"(update.RawRepresentation as {Ai}.ChatResponseUpdate)?.ModelId");

    private static void WriteStreamingChatCompletionUpdate(SourceWriter writer, UsageModel usage)
    {
        writer.Line("// Reads the usage the OpenAI SDK reports on the last streamed update (when usage is included in the stream).");
        writer.Line($"internal static {Usage} ReadStreamingChatCompletionUpdate({Chat}.StreamingChatCompletionUpdate? update, bool includeText) =>");
        writer.Line("    update?.Usage is { } usage");
        writer.Line($"        ? new {Usage}({OpenAICounts(usage, "usage")}, update.Model)");
        writer.Line($"        : {Usage}.Unreported(update?.Model, includeText && update?.ContentUpdate is {{ Count: > 0 }} content ? content[0].Text : null);");
    }
}
