using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Linq;
using System.Threading.Tasks;
using Maran.Instrument;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Compliance.Classification;
using OpenAI;
using OpenAI.Chat;

namespace ModelApp;

// An application written the usual way: model calls in methods returning strings, vectors and counts, most with no attribute.
public static class App
{
    private static OpenAIClient Client(Uri endpoint) =>
        new(new ApiKeyCredential("test-key"), new OpenAIClientOptions { Endpoint = endpoint, RetryPolicy = new ClientRetryPolicy(maxRetries: 0) });

    public static IChatClient Chat(Uri endpoint, string model) => Client(endpoint).GetChatClient(model).AsIChatClient();

    public static async Task<string> AskAsync(Uri endpoint, string model, string question)
    {
        IChatClient chat = Chat(endpoint, model);
        ChatResponse response = await chat.GetResponseAsync(question);
        return response.Text;
    }

    // A question in a conversation the application names (ChatOptions.ConversationId).
    public static async Task<string> AskInConversationAsync(Uri endpoint, string model, string question, string conversationId)
    {
        IChatClient chat = Chat(endpoint, model);
        ChatResponse response = await chat.GetResponseAsync(question, new ChatOptions { ConversationId = conversationId });
        return response.Text;
    }

    // The same question through a pipeline that reports to OpenTelemetry itself (Microsoft.Extensions.AI's UseOpenTelemetry()).
    public static async Task<string> AskThroughTheTelemetryPipelineAsync(Uri endpoint, string model, string question, string sourceName)
    {
        IChatClient chat = Chat(endpoint, model).AsBuilder().UseOpenTelemetry(sourceName: sourceName).Build();
        ChatResponse response = await chat.GetResponseAsync(question);
        return response.Text;
    }

    [MonitorOperation("stream_answer", "support")]
    public static async Task<string> StreamAsync(Uri endpoint, string model)
    {
        IChatClient chat = Chat(endpoint, model);
        string text = string.Empty;
        await foreach (ChatResponseUpdate update in chat.GetStreamingResponseAsync("tell me"))
        {
            text += update.Text;
        }

        return text;
    }

    public static async Task<long> CompleteWithTheSdkAsync(Uri endpoint, string model)
    {
        ChatClient client = Client(endpoint).GetChatClient(model);
        ClientResult<ChatCompletion> completion = await client.CompleteChatAsync([new UserChatMessage("hi")]);
        return completion.Value.Usage.TotalTokenCount;
    }

    [MonitorOperation("sdk_stream", "support")]
    public static async Task<string> StreamWithTheSdkAsync(Uri endpoint, string model)
    {
        ChatClient client = Client(endpoint).GetChatClient(model);
        string text = string.Empty;
        await foreach (StreamingChatCompletionUpdate update in client.CompleteChatStreamingAsync([new UserChatMessage("tell me")]))
        {
            text += string.Concat(update.ContentUpdate.Select(part => part.Text));
        }

        return text;
    }

    public static async Task<float[]> EmbedAsync(Uri endpoint, string model)
    {
        IEmbeddingGenerator<string, Embedding<float>> generator = Client(endpoint).GetEmbeddingClient(model).AsIEmbeddingGenerator();
        GeneratedEmbeddings<Embedding<float>> embeddings = await generator.GenerateAsync(["first text", "second text"]);
        return [.. embeddings.SelectMany(e => e.Vector.ToArray())];
    }

    [MonitorOperation("weather_question", "support")]
    public static async Task<string> AskTheAgentAsync(Uri endpoint, string model)
    {
        AIAgent agent = new ChatClientAgent(Chat(endpoint, model), "You answer weather questions.", "weather_agent", tools: [AIFunctionFactory.Create(Weather, "weather")]);
        AgentResponse response = await agent.RunAsync("What is the weather in Oslo?");
        return response.Text;
    }

    // What routes a request to the handler: the handler's call site, which the generator intercepts.
    public static Task<string> RouteQuestionAsync(Uri endpoint, string model) => HandleQuestionAsync(endpoint, model);

    // A handler whose model call is made two methods down, in services with no attribute, after an await.
    [MonitorOperation("answer_handler", "support")]
    public static async Task<string> HandleQuestionAsync(Uri endpoint, string model)
    {
        await Task.Yield();
        return await AnswerService.AnswerAsync(endpoint, model);
    }

    // An agent whose pipeline reports to OpenTelemetry itself (the Agent Framework's UseOpenTelemetry()).
    public static async Task<string> AskTheTracedAgentAsync(Uri endpoint, string model, string sourceName)
    {
        AIAgent agent = new ChatClientAgent(Chat(endpoint, model), "You answer weather questions.", "traced_agent", tools: [AIFunctionFactory.Create(Weather, "weather")])
            .AsBuilder()
            .UseOpenTelemetry(sourceName)
            .Build();
        AgentResponse response = await agent.RunAsync("What is the weather in Oslo?");
        return response.Text;
    }

    // A tool whose parameter holds personal data (a Microsoft.Extensions.Compliance classification) and whose result holds a key.
    [MonitorOperation("resident_question", "support")]
    public static async Task<string> AskTheResidentAgentAsync(Uri endpoint, string model)
    {
        AIAgent agent = new ChatClientAgent(Chat(endpoint, model), "You answer residents.", "resident_agent", tools: [AIFunctionFactory.Create(Resident, "resident")]);
        AgentResponse response = await agent.RunAsync("Who lives in Oslo?");
        return response.Text;
    }

    private static string Weather(string city) => "sunny in " + city;

    private static string Resident([PersonalData] string city) => "registry key sk-proj-0123456789abcdefghijklmnop for " + city;
}

// A service the handler calls, which calls another that makes the model call.
public static class AnswerService
{
    public static async Task<string> AnswerAsync(Uri endpoint, string model)
    {
        string answer = await PromptService.CompleteAsync(endpoint, model, "What should I wear in Oslo?");
        return answer.Trim();
    }
}

public static class PromptService
{
    public static async Task<string> CompleteAsync(Uri endpoint, string model, string prompt)
    {
        IChatClient chat = App.Chat(endpoint, model);
        ChatResponse response = await chat.GetResponseAsync(prompt);
        return response.Text;
    }
}

// The application's data classification for personal data.
public sealed class PersonalDataAttribute : DataClassificationAttribute
{
    public PersonalDataAttribute()
        : base(new DataClassification("ModelApp", "PersonalData"))
    {
    }
}
