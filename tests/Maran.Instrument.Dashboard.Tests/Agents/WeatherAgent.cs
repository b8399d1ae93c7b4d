using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>
/// An application's agent, written the usual way and compiled with the generator: an Agent Framework
/// <see cref="ChatClientAgent"/> with a weather tool, over a chat client middleware of the application's own whose
/// model call the generator intercepts, in front of a scripted model (<see cref="ScriptedModel"/>).
/// </summary>
internal static class WeatherAgent
{
    /// <summary>Asks the agent named <paramref name="name"/> about the weather; the tool fails when <paramref name="city"/> is empty.</summary>
    [MonitorOperation("weather_question", "dashboard-agents")]
    public static async Task<string> AskAsync(string name, string city, AgentSession? session = null)
    {
        AIAgent agent = Create(name);
        AgentResponse response = await agent.RunAsync($"What is the weather in {city}?", session);
        return response.Text;
    }

    /// <summary>Asks the agent named <paramref name="name"/> about the weather and reads its answer as it streams.</summary>
    public static async Task<string> StreamAsync(string name, string city)
    {
        AIAgent agent = Create(name);
        var text = new StringBuilder();
        await foreach (AgentResponseUpdate update in agent.RunStreamingAsync($"What is the weather in {city}?"))
        {
            text.Append(update.Text);
        }

        return text.ToString();
    }

    /// <summary>A new session of the agent named <paramref name="name"/>: the conversation its runs share.</summary>
    public static ValueTask<AgentSession> NewSessionAsync(string name) => Create(name).CreateSessionAsync();

    private static ChatClientAgent Create(string name) =>
        new(new LoggingChatClient(new ScriptedModel()), "You answer weather questions.", name, tools: [AIFunctionFactory.Create(Weather, "weather")]);

    private static string Weather(string city) =>
        city.Length > 0 ? "sunny in " + city : throw new ArgumentException("No city was named.", nameof(city));

    /// <summary>A middleware of the application's: the model call it makes on its inner client is one step of the run.</summary>
    private sealed class LoggingChatClient(IChatClient inner) : DelegatingChatClient(inner)
    {
        // The analyzer sees a model call outside a monitored method; it runs inside the agent run, its parent.
#pragma warning disable MARAN001
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            return InnerClient.GetResponseAsync(messages, options, cancellationToken);
        }

        public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            InnerClient.GetStreamingResponseAsync(messages, options, cancellationToken);
#pragma warning restore MARAN001
    }
}

/// <summary>
/// A model that answers from a script, as a provider would: first it asks for the weather tool with the city the user
/// named, then, given the tool's result, it answers with it. Each response reports its usage and the model.
/// </summary>
internal sealed class ScriptedModel : IChatClient
{
    /// <summary>The model each response names: priced by the default table.</summary>
    public const string Model = "gpt-4o-mini";

    public const int AskInput = 120;
    public const int AskOutput = 12;
    public const int AnswerInput = 180;
    public const int AnswerOutput = 9;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(Answer(messages));

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (ChatResponseUpdate update in Answer(messages).ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", null, Model) : null;

    public void Dispose()
    {
    }

    private static ChatResponse Answer(IEnumerable<ChatMessage> messages)
    {
        List<ChatMessage> history = [.. messages];
        FunctionResultContent? result = history.Count > 0 ? history[^1].Contents.OfType<FunctionResultContent>().FirstOrDefault() : null;
        if (result is null)
        {
            string question = history.Last(m => m.Role == ChatRole.User).Text;
            string city = question.Replace("What is the weather in ", string.Empty, StringComparison.Ordinal).TrimEnd('?');
            var call = new FunctionCallContent("call-" + history.Count, "weather", new Dictionary<string, object?> { ["city"] = city });
            return Respond(new ChatMessage(ChatRole.Assistant, [call]), AskInput, AskOutput);
        }

        return Respond(new ChatMessage(ChatRole.Assistant, "It is " + result.Result), AnswerInput, AnswerOutput);
    }

    private static ChatResponse Respond(ChatMessage message, int input, int output) => new(message)
    {
        ModelId = Model,
        Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output },
    };
}
