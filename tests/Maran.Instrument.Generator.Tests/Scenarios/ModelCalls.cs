using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Maran.Instrument;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Scenarios.ModelCalls;

// A chat client that answers with fixed usage; asked with tools and no tool result yet, it calls the first tool.
public sealed class FakeChatClient(string model, long input, long output) : IChatClient
{
    public int Calls;

    // The provider its metadata names, as the provider adapters' metadata does.
    public string? Provider { get; set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Calls);
        List<ChatMessage> list = messages.ToList();
        bool answered = list.Any(m => m.Contents.OfType<FunctionResultContent>().Any());
        ChatMessage reply = options?.Tools is { Count: > 0 } tools && !answered
            ? new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-1", tools[0].Name, new Dictionary<string, object?> { ["city"] = "Oslo" })])
            : new ChatMessage(ChatRole.Assistant, "answer: " + list.Last(m => m.Role == ChatRole.User).Text);
        return Task.FromResult(new ChatResponse(reply)
        {
            RawRepresentation = reply,
            ModelId = model,
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output },
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        yield return new ChatResponseUpdate(ChatRole.Assistant, "str") { ModelId = model };
        yield return new ChatResponseUpdate(ChatRole.Assistant, "eam") { ModelId = model };
        yield return new ChatResponseUpdate { ModelId = model, Contents = [new UsageContent(new UsageDetails { InputTokenCount = input, OutputTokenCount = output })] };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) && Provider is not null ? new ChatClientMetadata(Provider, null, model)
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}

// The distributed cache the caching middleware stores responses in, in memory.
public sealed class MemoryCache : Microsoft.Extensions.Caching.Distributed.IDistributedCache
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> _entries = new();

    public byte[]? Get(string key) => _entries.TryGetValue(key, out byte[]? value) ? value : null;

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromResult(Get(key));

    public void Set(string key, byte[] value, Microsoft.Extensions.Caching.Distributed.DistributedCacheEntryOptions options) => _entries[key] = value;

    public Task SetAsync(string key, byte[] value, Microsoft.Extensions.Caching.Distributed.DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        Set(key, value, options);
        return Task.CompletedTask;
    }

    public void Refresh(string key)
    {
    }

    public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

    public void Remove(string key) => _entries.TryRemove(key, out _);

    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        Remove(key);
        return Task.CompletedTask;
    }
}

public sealed class FakeEmbeddings(string model, long input) : IEmbeddingGenerator<string, Embedding<float>>
{
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(_ => new Embedding<float>(new float[] { 0.5f, 0.25f }) { ModelId = model }))
        {
            Usage = new UsageDetails { InputTokenCount = input },
        });

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

public static class Tools
{
    public static string Weather(string city) => "sunny in " + city;
}

public static class Program
{
    // No attribute: the model call is measured on its own, its tokens belong to no operation.
    public static async Task<string> AskAsync(IChatClient chat, string question)
    {
        ChatResponse response = await chat.GetResponseAsync(question);
        return response.Text;
    }

    [MonitorOperation("answer", "model_calls")]
    public static async Task<string> AnswerAsync(IChatClient chat, string question)
    {
        ChatResponse response = await chat.GetResponseAsync(question);
        return response.Text;
    }

    [MonitorOperation("answer_sync", "model_calls")]
    public static void AnswerSynchronously(IChatClient chat)
    {
        Func<string, string> ask = q => chat.GetResponseAsync(q).GetAwaiter().GetResult().Text;
        _ = ask("sync");
    }

    [MonitorOperation("stream", "model_calls")]
    public static async Task<string> StreamAsync(IChatClient chat)
    {
        string text = string.Empty;
        await foreach (ChatResponseUpdate update in chat.GetStreamingResponseAsync("stream please"))
        {
            text += update.Text;
        }

        return text;
    }

    [MonitorOperation("embed", "model_calls")]
    public static async Task<float[]> EmbedAsync(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        ReadOnlyMemory<float> vector = await generator.GenerateVectorAsync("text");
        GeneratedEmbeddings<Embedding<float>> embeddings = await generator.GenerateAsync(["a", "b"]);
        return [vector.Span[0], embeddings[1].Vector.Span[1]];
    }

    // The result carries usage, but the model call inside reports it: counted once.
    [MonitorOperation("reply", "model_calls")]
    public static Task<ChatResponse> ReplyAsync(IChatClient chat) => chat.GetResponseAsync("reply");

    public static Task<ChatResponse> CallReplyAsync(IChatClient chat) => ReplyAsync(chat);

    [DoNotMonitor]
    public static Task<ChatResponse> UnmeasuredAsync(IChatClient chat) => chat.GetResponseAsync("unmeasured");

    // The same question twice through the caching middleware: the second answer comes from the cache.
    [MonitorOperation("cached", "model_calls")]
    public static async Task<string> AskTwiceThroughCacheAsync(IChatClient inner)
    {
        IChatClient chat = new ChatClientBuilder(inner).UseDistributedCache(new MemoryCache()).Build();
        string first = (await chat.GetResponseAsync("same question")).Text;
        string second = (await chat.GetResponseAsync("same question")).Text;
        return first + "|" + second;
    }

    public static AIFunction WeatherTool() => AIFunctionFactory.Create(Tools.Weather, "weather");

    public static AIFunction AddTool() => AIFunctionFactory.Create((int a, int b) => a + b, "add");

    [MonitorOperation("agent", "model_calls")]
    public static async Task<string> RunAgentAsync(IChatClient chat)
    {
        AIAgent agent = new ChatClientAgent(chat, "You help.", "helper", tools: [WeatherTool()]);
        AgentResponse response = await agent.RunAsync("weather in Oslo?");
        return response.Text;
    }

    public static async Task<int> StreamAgentAsync(IChatClient chat)
    {
        AIAgent agent = new ChatClientAgent(chat, "You help.", "streamer");
        int updates = 0;
        await foreach (AgentResponseUpdate update in agent.RunStreamingAsync("hello"))
        {
            updates++;
        }

        return updates;
    }
}

// The OpenAI SDK's own clients, compiled (and their readers with them); run against a server in the integration tests.
#pragma warning disable OPENAI001 // the Responses client is experimental
public static class OpenAICalls
{
    [MonitorOperation("openai_chat", "model_calls")]
    public static async Task<string> CompleteAsync(OpenAI.Chat.ChatClient client)
    {
        System.ClientModel.ClientResult<OpenAI.Chat.ChatCompletion> result = await client.CompleteChatAsync([new OpenAI.Chat.UserChatMessage("hi")]);
        return result.Value.Content[0].Text;
    }

    public static int Embed(OpenAI.Embeddings.EmbeddingClient client) => client.GenerateEmbeddings(["a", "b"]).Value.Count;

    [MonitorOperation("openai_stream", "model_calls")]
    public static async Task<string> StreamAsync(OpenAI.Chat.ChatClient client)
    {
        string text = string.Empty;
        await foreach (OpenAI.Chat.StreamingChatCompletionUpdate update in client.CompleteChatStreamingAsync([new OpenAI.Chat.UserChatMessage("hi")]))
        {
            text += string.Concat(update.ContentUpdate.Select(part => part.Text));
        }

        return text;
    }

    // No attribute, synchronous: the stream is still one model call, with the usage of its last update.
    public static string Stream(OpenAI.Chat.ChatClient client)
    {
        string text = string.Empty;
        foreach (OpenAI.Chat.StreamingChatCompletionUpdate update in client.CompleteChatStreaming(new OpenAI.Chat.UserChatMessage("hi")))
        {
            text += string.Concat(update.ContentUpdate.Select(part => part.Text));
        }

        return text;
    }

    public static async Task<string> RespondAsync(OpenAI.Responses.ResponsesClient client) => (await client.CreateResponseAsync(new OpenAI.Responses.CreateResponseOptions())).Value.Id;
}
#pragma warning restore OPENAI001
