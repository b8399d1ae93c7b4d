using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Maran.Instrument;
using Maran.Instrument.Telemetry;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace Scenarios.TokenUsage;

public sealed record Answer(string Text);

/// <summary>A result type of the program's own that reports its tokens.</summary>
public sealed class LocalResult(string text, int prompt, int generated) : ITokenUsage
{
    public string Text { get; } = text;

    public long InputTokens => prompt;

    public long OutputTokens => generated;
}

public class Model
{
    private static readonly ChatResponse Cached = new(new Microsoft.Extensions.AI.ChatMessage(ChatRole.Assistant, "cached"))
    {
        ModelId = "gpt-4o-mini",
        Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5 },
    };

    [MonitorOperation("chat", "usage_chat")]
    public ChatResponse Chat(string prompt) =>
        new(new Microsoft.Extensions.AI.ChatMessage(ChatRole.Assistant, "answer to " + prompt))
        {
            ModelId = "gpt-4o-mini-2024-07-18",
            Usage = new UsageDetails { InputTokenCount = 1200, OutputTokenCount = 300, CachedInputTokenCount = 1000 },
        };

    [MonitorOperation("chat_async", "usage_chat", Model = "gpt-4o")]
    public async Task<ChatResponse> ChatAsync(string prompt)
    {
        await Task.Yield();
        return new ChatResponse(new Microsoft.Extensions.AI.ChatMessage(ChatRole.Assistant, prompt))
        {
            Usage = new UsageDetails { InputTokenCount = 2000, OutputTokenCount = 1000 },
        };
    }

    [MonitorOperation("reason", "usage_chat")]
    public ValueTask<ChatResponse<Answer>> ReasonAsync(string prompt) =>
        new(new ChatResponse<Answer>(
            new ChatResponse(new Microsoft.Extensions.AI.ChatMessage(ChatRole.Assistant, "{\"Text\":\"42\"}"))
            {
                ModelId = "o4-mini",
                Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 900, ReasoningTokenCount = 800 },
            },
            AIJsonUtilities.DefaultOptions));

    [MonitorOperation("unreported", "usage_chat", Model = "gpt-4o")]
    public ChatResponse Unreported() => new(new Microsoft.Extensions.AI.ChatMessage(ChatRole.Assistant, "no usage here"));

    [MonitorOperation("cached", "usage_alloc")]
    public ChatResponse CachedChat() => Cached;

    [MonitorOperation("stream", "usage_stream")]
    public async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(string prompt)
    {
        foreach (string word in prompt.Split(' '))
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, word + " ") { ModelId = "gpt-4.1-mini" };
        }

        yield return new ChatResponseUpdate { ModelId = "gpt-4.1-mini", Contents = [new UsageContent(new UsageDetails { InputTokenCount = 50, OutputTokenCount = 4 })] };
    }

    [MonitorOperation("embed", "usage_embed")]
    public Task<GeneratedEmbeddings<Embedding<float>>> EmbedAsync(string text) =>
        Task.FromResult(new GeneratedEmbeddings<Embedding<float>>([new Embedding<float>(new float[] { 0.1f, 0.2f }) { ModelId = "text-embedding-3-small" }])
        {
            Usage = new UsageDetails { InputTokenCount = 500_000 },
        });

    [MonitorOperation("complete", "usage_openai")]
    public ChatCompletion Complete(string prompt) => Completion();

    [MonitorOperation("complete_result", "usage_openai")]
    public Task<ClientResult<ChatCompletion>> CompleteResultAsync(string prompt) =>
        Task.FromResult(ClientResult.FromValue(Completion(), new EmptyResponse()));

    [MonitorOperation("complete_stream", "usage_openai")]
    public async IAsyncEnumerable<StreamingChatCompletionUpdate> CompleteStreamAsync(string prompt)
    {
        await Task.Yield();
        yield return StreamingUpdate(usage: null);
        yield return StreamingUpdate(OpenAIChatModelFactory.ChatTokenUsage(outputTokenCount: 20, inputTokenCount: 400, totalTokenCount: 420));
    }

    [MonitorOperation("local", "usage_local", Model = "my-local-model")]
    public LocalResult Local(string prompt) => new(prompt, prompt.Length, 7);

    [MonitorOperation("plain", "usage_plain")]
    public string Plain(string prompt) => prompt;

#pragma warning disable OPENAI001 // the model factory's newest overload is marked for evaluation
    private static ChatCompletion Completion() =>
        OpenAIChatModelFactory.ChatCompletion(
            id: "chatcmpl-1",
            model: "gpt-4.1-2025-04-14",
            usage: OpenAIChatModelFactory.ChatTokenUsage(
                outputTokenCount: 200,
                inputTokenCount: 3000,
                totalTokenCount: 3200,
                inputTokenDetails: OpenAIChatModelFactory.ChatInputTokenUsageDetails(cachedTokenCount: 2000)));

    private static StreamingChatCompletionUpdate StreamingUpdate(ChatTokenUsage? usage) =>
        OpenAIChatModelFactory.StreamingChatCompletionUpdate(model: "gpt-4o-mini", usage: usage);
#pragma warning restore OPENAI001

    private sealed class EmptyResponse : PipelineResponse
    {
        public override int Status => 200;

        public override string ReasonPhrase => "OK";

        public override Stream? ContentStream { get; set; }

        public override BinaryData Content => BinaryData.Empty;

        protected override PipelineResponseHeaders HeadersCore => throw new NotSupportedException();

        public override BinaryData BufferContent(CancellationToken cancellationToken = default) => BinaryData.Empty;

        public override ValueTask<BinaryData> BufferContentAsync(CancellationToken cancellationToken = default) => new(BinaryData.Empty);

        public override void Dispose()
        {
        }
    }
}

public static class Program
{
    public static async Task<string> RunAsync()
    {
        var model = new Model();
        var parts = new List<string>
        {
            model.Chat("q").Text,
            (await model.ChatAsync("async")).Text,
            (await model.ReasonAsync("why")).Result.Text,
            model.Unreported().Text,
        };

        int updates = 0;
        await foreach (ChatResponseUpdate update in model.StreamAsync("three streamed words"))
        {
            updates++;
        }

        parts.Add(updates.ToString());
        await foreach (StreamingChatCompletionUpdate update in model.CompleteStreamAsync("q"))
        {
            updates++;
        }

        parts.Add((await model.EmbedAsync("text")).Count.ToString());
        parts.Add(model.Complete("q").Model);
        parts.Add((await model.CompleteResultAsync("q")).Value.Model);
        parts.Add(model.Local("hello").Text);
        parts.Add(model.Plain("plain"));
        return string.Join("|", parts);
    }

    /// <summary>Bytes the calling thread allocates over <paramref name="calls"/> calls of a method returning a cached response.</summary>
    public const int WarmUpCalls = 100;

    public static long AllocatedByCachedCalls(int calls)
    {
        // A thread's first calls build its cell and, at its first fold, its histogram: warm up past both.
        var model = new Model();
        for (int i = 0; i < WarmUpCalls; i++)
        {
            model.CachedChat();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            model.CachedChat();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
