using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Maran.Instrument;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using OllamaSharp;

namespace Scenarios.ModelCallFamilies;

// A Semantic Kernel chat service whose connector reports usage in the content's metadata, as the connectors do.
public sealed class FakeChatService(long input, long output) : IChatCompletionService
{
    public IReadOnlyDictionary<string, object?> Attributes { get; } = new Dictionary<string, object?>();

    public Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ChatMessageContent>>(
        [
            new ChatMessageContent(AuthorRole.Assistant, "kernel answer", "gpt-4o-mini", metadata: new Dictionary<string, object?>
            {
                ["Usage"] = new UsageDetails { InputTokenCount = input, OutputTokenCount = output },
            }),
        ]);

    public async IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        yield return new StreamingChatMessageContent(AuthorRole.Assistant, "streamed", modelId: "gpt-4o-mini");
        yield return new StreamingChatMessageContent(AuthorRole.Assistant, null, modelId: "gpt-4o-mini", metadata: new Dictionary<string, object?>
        {
            ["Usage"] = new UsageDetails { InputTokenCount = input, OutputTokenCount = output },
        });
    }
}

public static class Program
{
    [MonitorOperation("kernel_chat", "families")]
    public static async Task<string> KernelChatAsync(IChatCompletionService service)
    {
        ChatMessageContent reply = await service.GetChatMessageContentAsync("hello");
        return reply.Content ?? string.Empty;
    }

    public static Task<string> CallKernelChatAsync(IChatCompletionService service) => KernelChatAsync(service);

    [MonitorOperation("kernel_contents", "families")]
    public static async Task<int> KernelContentsAsync(IChatCompletionService service)
    {
        var history = new ChatHistory();
        history.AddUserMessage("hello");
        IReadOnlyList<ChatMessageContent> replies = await service.GetChatMessageContentsAsync(history);
        return replies.Count;
    }

    [MonitorOperation("kernel_stream", "families")]
    public static async Task<string> KernelStreamAsync(IChatCompletionService service)
    {
        string text = string.Empty;
        await foreach (StreamingChatMessageContent chunk in service.GetStreamingChatMessageContentsAsync("hello"))
        {
            text += chunk.Content;
        }

        return text;
    }

    public static async Task<string> InvokePromptAsync(Kernel kernel)
    {
        FunctionResult result = await kernel.InvokePromptAsync("Say hello");
        return result.ToString();
    }

    public static async Task<string> OllamaChatAsync(IOllamaApiClient ollama)
    {
        string text = string.Empty;
        await foreach (OllamaSharp.Models.Chat.ChatResponseStream? chunk in ollama.ChatAsync(new OllamaSharp.Models.Chat.ChatRequest { Model = "llama3.1" }))
        {
            text += chunk?.Message?.Content;
        }

        return text;
    }

    public static async void OllamaGenerateAndForget(IOllamaApiClient ollama)
    {
        await foreach (OllamaSharp.Models.GenerateResponseStream? chunk in ollama.GenerateAsync(new OllamaSharp.Models.GenerateRequest { Model = "llama3.1", Prompt = "hi" }))
        {
            _ = chunk;
        }
    }

    public static async Task<int> LLamaAsync(LLama.InteractiveExecutor interactive, LLama.StatelessExecutor stateless)
    {
        int tokens = 0;
        await foreach (string token in interactive.InferAsync("hi", new LLama.Common.InferenceParams()))
        {
            tokens++;
        }

        await foreach (string token in stateless.InferAsync("hi"))
        {
            tokens++;
        }

        return tokens;
    }

    // ONNX Runtime is tensor math, not intercepted.
    public static int Score(Microsoft.ML.OnnxRuntime.InferenceSession session, IReadOnlyCollection<Microsoft.ML.OnnxRuntime.NamedOnnxValue> inputs)
    {
        using var results = session.Run(inputs);
        return results.Count;
    }

    public static async Task<float[]> OllamaEmbedAsync(IOllamaApiClient ollama)
    {
        OllamaSharp.Models.EmbedResponse response = await ollama.EmbedAsync(new OllamaSharp.Models.EmbedRequest { Model = "nomic-embed-text", Input = ["text"] });
        return response.Embeddings[0];
    }
}
