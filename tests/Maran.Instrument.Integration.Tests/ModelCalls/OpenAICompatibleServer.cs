using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Maran.Instrument.Integration.Tests.ModelCalls;

/// <summary>
/// An OpenAI-compatible server on 127.0.0.1: chat completions (plain, streamed with <c>include_usage</c>, tool calls),
/// embeddings, and injected failures for the models <c>fail-429</c> and <c>fail-500</c>. Each request's tokens are
/// derived from its prompt, so different requests report different counts; what it reported is tallied per model.
/// </summary>
internal sealed class OpenAICompatibleServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (long Input, long Output)> _reported = new(StringComparer.Ordinal);
    private int _requests;

    private OpenAICompatibleServer(WebApplication app) => _app = app;

    /// <summary>The base address clients use (<c>http://127.0.0.1:port/v1</c>).</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Requests served, failures included.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The tokens the server reported per model.</summary>
    public IReadOnlyDictionary<string, (long Input, long Output)> Reported => _reported;

    public static async Task<OpenAICompatibleServer> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var server = new OpenAICompatibleServer(app);
        app.MapPost("/v1/chat/completions", server.ChatAsync);
        app.MapPost("/v1/embeddings", server.EmbeddingsAsync);
        await app.StartAsync();
        server.Endpoint = new Uri(app.Urls.First() + "/v1");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static long TokensOf(string text) => Math.Max(1, text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length * 3);

    private void Report(string model, long input, long output) =>
        _reported.AddOrUpdate(model, (input, output), (_, sum) => (sum.Input + input, sum.Output + output));

    private async Task ChatAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        JsonNode request = (await JsonNode.ParseAsync(context.Request.Body))!;
        string model = request["model"]!.GetValue<string>();
        if (await FailedAsync(context, model))
        {
            return;
        }

        JsonArray messages = request["messages"]!.AsArray();
        long input = TokensOf(messages.ToJsonString()) + 10;
        bool toolsOffered = request["tools"] is JsonArray { Count: > 0 };
        bool toolAnswered = messages.Any(m => m?["role"]?.GetValue<string>() == "tool");
        bool callTool = toolsOffered && !toolAnswered;
        string toolName = toolsOffered ? request["tools"]![0]!["function"]!["name"]!.GetValue<string>() : string.Empty;
        string content = callTool ? string.Empty : "It is sunny in Oslo today";
        long output = callTool ? 12 : TokensOf(content);
        Report(model, input, output);

        if (request["stream"]?.GetValue<bool>() == true)
        {
            context.Response.ContentType = "text/event-stream";
            foreach (string word in content.Split(' '))
            {
                await WriteEventAsync(context, Chunk(model, new JsonObject { ["content"] = word + " " }, null, null));
            }

            await WriteEventAsync(context, Chunk(model, new JsonObject(), "stop", null));
            if (request["stream_options"]?["include_usage"]?.GetValue<bool>() == true)
            {
                await WriteEventAsync(context, new JsonObject
                {
                    ["id"] = "chatcmpl-1", ["object"] = "chat.completion.chunk", ["created"] = 1_700_000_000, ["model"] = model,
                    ["choices"] = new JsonArray(), ["usage"] = Usage(input, output),
                });
            }

            await context.Response.WriteAsync("data: [DONE]\n\n");
            return;
        }

        JsonObject message = callTool
            ? new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = null,
                ["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["id"] = "call_1", ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = toolName, ["arguments"] = "{\"city\":\"Oslo\"}" },
                }),
            }
            : new JsonObject { ["role"] = "assistant", ["content"] = content };
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["id"] = "chatcmpl-1", ["object"] = "chat.completion", ["created"] = 1_700_000_000, ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = callTool ? "tool_calls" : "stop" }),
            ["usage"] = Usage(input, output),
        });
    }

    private async Task EmbeddingsAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        JsonNode request = (await JsonNode.ParseAsync(context.Request.Body))!;
        string model = request["model"]!.GetValue<string>();
        if (await FailedAsync(context, model))
        {
            return;
        }

        JsonArray inputs = request["input"] is JsonArray array ? array : [request["input"]!.GetValue<string>()];
        long tokens = inputs.Sum(i => TokensOf(i!.GetValue<string>()));
        Report(model, tokens, 0);
        var data = new JsonArray();
        for (int i = 0; i < inputs.Count; i++)
        {
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = new JsonArray(0.5 + i, 0.25) });
        }

        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["object"] = "list", ["data"] = data, ["model"] = model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        });
    }

    private static async Task<bool> FailedAsync(HttpContext context, string model)
    {
        int status = model switch
        {
            "fail-429" => 429,
            "fail-500" => 500,
            _ => 0,
        };
        if (status == 0)
        {
            return false;
        }

        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = status == 429 ? "Rate limit reached" : "The server had an error", ["type"] = "server_error" },
        });
        return true;
    }

    private static JsonObject Usage(long input, long output) =>
        new() { ["prompt_tokens"] = input, ["completion_tokens"] = output, ["total_tokens"] = input + output };

    private static JsonObject Chunk(string model, JsonObject delta, string? finish, JsonObject? usage) => new()
    {
        ["id"] = "chatcmpl-1", ["object"] = "chat.completion.chunk", ["created"] = 1_700_000_000, ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
        ["usage"] = usage,
    };

    private static async Task WriteEventAsync(HttpContext context, JsonObject payload)
    {
        await context.Response.WriteAsync("data: " + payload.ToJsonString() + "\n\n", Encoding.UTF8);
        await context.Response.Body.FlushAsync();
    }
}
