using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Maran.Agent;

/// <summary>
/// The model the sample carries: a trigram language model over the tokens of the agent's documents, behind
/// <see cref="IChatClient"/>. It starts from the sentence of its context that best matches the question and prefers the
/// context's own word sequences, so its answers come from the documents, and it reports the real token counts of prompt and answer. Each generated
/// token waits <see cref="TokenLatency"/>, standing in for the time a large model spends per token.
/// </summary>
public sealed class LocalChatClient : IChatClient
{
    /// <summary>The model id the client reports; price it as a local model in <c>monitoring_config.yaml</c>.</summary>
    public const string ModelName = "maran-local-trigram";

    private readonly Tokenizer _tokenizer;
    private readonly Dictionary<(int, int), Dictionary<int, int>> _trigrams = [];
    private readonly HashSet<int> _sentenceEnds;

    public LocalChatClient(Tokenizer tokenizer, IEnumerable<string> corpus)
    {
        _tokenizer = tokenizer;
        _sentenceEnds = [.. new[] { ".", "!", "?" }.SelectMany(p => tokenizer.EncodeToIds(p))];
        foreach (string text in corpus)
        {
            Count(tokenizer.EncodeToIds(text), _trigrams);
        }
    }

    /// <summary>Time spent per generated token.</summary>
    public TimeSpan TokenLatency { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Most tokens one answer may have.</summary>
    public int MaxOutputTokens { get; init; } = 60;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var tokens = new List<int>();
        int inputTokens = 0;
        await foreach (int token in GenerateTokensAsync(messages, options, count => inputTokens = count, cancellationToken).ConfigureAwait(false))
        {
            tokens.Add(token);
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, _tokenizer.Decode(tokens)))
        {
            ModelId = ModelName,
            CreatedAt = DateTimeOffset.UtcNow,
            FinishReason = tokens.Count >= MaxTokens(options) ? ChatFinishReason.Length : ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = tokens.Count, TotalTokenCount = inputTokens + tokens.Count },
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int inputTokens = 0;
        int outputTokens = 0;
        await foreach (int token in GenerateTokensAsync(messages, options, count => inputTokens = count, cancellationToken).ConfigureAwait(false))
        {
            outputTokens++;
            yield return new ChatResponseUpdate(ChatRole.Assistant, _tokenizer.Decode([token])) { ModelId = ModelName };
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails
        {
            InputTokenCount = inputTokens,
            OutputTokenCount = outputTokens,
            TotalTokenCount = inputTokens + outputTokens,
        })])
        {
            ModelId = ModelName,
            FinishReason = ChatFinishReason.Stop,
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private int MaxTokens(ChatOptions? options) => options?.MaxOutputTokens ?? MaxOutputTokens;

    private async IAsyncEnumerable<int> GenerateTokensAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options,
        Action<int> reportInput,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<ChatMessage> conversation = [.. messages];
        string prompt = string.Join("\n", conversation.Select(m => m.Text));
        reportInput(_tokenizer.CountTokens(prompt));

        string question = conversation.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? prompt;
        string context = string.Join("\n", conversation.Where(m => m.Role == ChatRole.System).Select(m => m.Text));
        IReadOnlyList<int> seed = _tokenizer.EncodeToIds(BestSentence(context.Length > 0 ? context : prompt, question));
        Dictionary<(int, int), Dictionary<int, int>> local = Count(_tokenizer.EncodeToIds(context));
        var random = new Random(StringComparer.Ordinal.GetHashCode(question));

        int limit = MaxTokens(options);
        int a = seed.Count > 1 ? seed[0] : 0;
        int b = seed.Count > 1 ? seed[1] : seed.Count == 1 ? seed[0] : 0;
        for (int produced = 0; produced < limit; produced++)
        {
            int next;
            if (produced < Math.Min(seed.Count, 12))
            {
                next = seed[produced];
            }
            else if (local.TryGetValue((a, b), out Dictionary<int, int>? fromContext))
            {
                next = Pick(fromContext, random);
            }
            else if (_trigrams.TryGetValue((a, b), out Dictionary<int, int>? fromCorpus))
            {
                next = Pick(fromCorpus, random);
            }
            else
            {
                break;
            }

            if (TokenLatency > TimeSpan.Zero)
            {
                await Task.Delay(TokenLatency, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            yield return next;
            (a, b) = (b, next);
            if (produced >= 12 && _sentenceEnds.Contains(next))
            {
                break;
            }
        }
    }

    // Counts which token follows each pair of tokens: the whole of a trigram model.
    private static Dictionary<(int, int), Dictionary<int, int>> Count(IReadOnlyList<int> ids, Dictionary<(int, int), Dictionary<int, int>>? into = null)
    {
        into ??= [];
        for (int i = 2; i < ids.Count; i++)
        {
            (int, int) key = (ids[i - 2], ids[i - 1]);
            if (!into.TryGetValue(key, out Dictionary<int, int>? next))
            {
                into[key] = next = [];
            }

            next[ids[i]] = next.GetValueOrDefault(ids[i]) + 1;
        }

        return into;
    }

    private static int Pick(Dictionary<int, int> candidates, Random random)
    {
        int total = candidates.Values.Sum();
        int roll = random.Next(total);
        foreach ((int token, int count) in candidates)
        {
            roll -= count;
            if (roll < 0)
            {
                return token;
            }
        }

        return candidates.Keys.First();
    }

    // The sentence of the context that shares the most words with the question: where the answer starts.
    private static string BestSentence(string context, string question)
    {
        var words = question.ToLowerInvariant().Split([' ', '?', ',', '.', '!'], StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length > 3).ToHashSet();
        return context.Split(['.', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(s => s.Length > 20)
            .OrderByDescending(s => s.ToLowerInvariant().Split(' ').Count(words.Contains))
            .FirstOrDefault() ?? context;
    }
}
