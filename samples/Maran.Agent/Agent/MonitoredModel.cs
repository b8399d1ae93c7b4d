using Maran.Instrument;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Maran.Agent;

/// <summary>
/// The seed's <c>create_monitored_model(tokenizer)</c>: a chat model whose <see cref="Generate"/> and
/// <see cref="Stream"/> calls are monitored operations. Token usage is read from the responses.
/// </summary>
public sealed class MonitoredModel
{
    private readonly IChatClient _client;
    private readonly FaultInjector _faults;

    private MonitoredModel(IChatClient client, Tokenizer tokenizer, FaultInjector faults)
    {
        _client = client;
        Tokenizer = tokenizer;
        _faults = faults;
    }

    /// <summary>The tokenizer the model counts with.</summary>
    public Tokenizer Tokenizer { get; }

    /// <summary>
    /// The model the agent talks to: an OpenAI-compatible server when <c>MARAN_CHAT_ENDPOINT</c> is set (with
    /// <c>MARAN_CHAT_MODEL</c>, and <c>MARAN_CHAT_API_KEY</c> if the server wants one), else the local trigram model.
    /// </summary>
    public static MonitoredModel Create(Tokenizer tokenizer, IEnumerable<string> corpus, FaultInjector? faults = null, TimeSpan? tokenLatency = null)
    {
        IChatClient client = RemoteChatClient.FromEnvironment()
            ?? new LocalChatClient(tokenizer, corpus) { TokenLatency = tokenLatency ?? TimeSpan.FromMilliseconds(1) };
        return new MonitoredModel(client, tokenizer, faults ?? FaultInjector.None);
    }

    /// <summary>The id of the model in use.</summary>
    public string ModelName => _client.GetService<ChatClientMetadata>()?.DefaultModelId ?? LocalChatClient.ModelName;

    /// <summary>Answers <paramref name="question"/> from <paramref name="context"/> in one response.</summary>
    [MonitorOperation("generate", "model", Model = LocalChatClient.ModelName)]
    public async Task<ChatResponse> Generate(string question, string context, CancellationToken cancellationToken = default)
    {
        await _faults.BeforeModelCallAsync(cancellationToken).ConfigureAwait(false);
        return await _client.GetResponseAsync(Prompt(question, context), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers <paramref name="question"/> from <paramref name="context"/> token by token.</summary>
    [MonitorOperation("stream_answer", "model", Model = LocalChatClient.ModelName)]
    public IAsyncEnumerable<ChatResponseUpdate> Stream(string question, string context, CancellationToken cancellationToken = default) =>
        _client.GetStreamingResponseAsync(Prompt(question, context), cancellationToken: cancellationToken);

    private static ChatMessage[] Prompt(string question, string context) =>
    [
        new(ChatRole.System, context),
        new(ChatRole.User, question),
    ];
}
