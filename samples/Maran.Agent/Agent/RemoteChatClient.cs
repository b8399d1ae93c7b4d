using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Maran.Agent;

/// <summary>An OpenAI-compatible server (Ollama, llama.cpp, vLLM...) named by environment variables.</summary>
internal static class RemoteChatClient
{
    /// <summary>The client for <c>MARAN_CHAT_ENDPOINT</c>, or null when it is not set.</summary>
    public static IChatClient? FromEnvironment()
    {
        string? endpoint = Environment.GetEnvironmentVariable("MARAN_CHAT_ENDPOINT");
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return null;
        }

        string model = Environment.GetEnvironmentVariable("MARAN_CHAT_MODEL") is { Length: > 0 } named
            ? named
            : throw new InvalidOperationException("MARAN_CHAT_ENDPOINT is set, so MARAN_CHAT_MODEL must name the model to use (for example llama3.2).");
        string key = Environment.GetEnvironmentVariable("MARAN_CHAT_API_KEY") is { Length: > 0 } apiKey ? apiKey : "unused";
        var client = new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(endpoint) });
        return client.GetChatClient(model).AsIChatClient();
    }
}
