using System.Text;
using Maran.Instrument;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Maran.Agent;

/// <summary>
/// The seed's <c>MonitoredMaranSystem</c>: a small retrieval-augmented agent whose every stage — tokenize,
/// retrieve, rerank, tool call, generate, stream — is a monitored operation.
/// </summary>
public sealed class MonitoredMaranSystem : IDisposable
{
    private readonly DocumentStore _documents;
    private readonly MonitoredModel _model;
    private int _queries;

    private MonitoredMaranSystem(AdvancedMonitoringSystem monitoring, DocumentStore documents, MonitoredModel model)
    {
        Monitoring = monitoring;
        _documents = documents;
        _model = model;
    }

    /// <summary>The monitoring system the agent reports to.</summary>
    public AdvancedMonitoringSystem Monitoring { get; }

    /// <summary>The model the agent answers with.</summary>
    public MonitoredModel Model => _model;

    /// <summary>Builds the agent: tokenizer, embedded documents, model.</summary>
    public static async Task<MonitoredMaranSystem> CreateAsync(AdvancedMonitoringSystem monitoring, AgentOptions options, CancellationToken cancellationToken = default)
    {
        Tokenizer tokenizer = TiktokenTokenizer.CreateForModel("gpt-4o");
        var embedder = new LocalEmbeddingGenerator(tokenizer);
        DocumentStore documents = await DocumentStore.LoadAsync(options.DocumentsFolder, embedder, cancellationToken).ConfigureAwait(false);
        MonitoredModel model = MonitoredModel.Create(tokenizer, documents.Texts, new FaultInjector(options.ErrorRate), options.TokenLatency);
        return new MonitoredMaranSystem(monitoring, documents, model);
    }

    /// <summary>Starts monitoring (configuration, background services).</summary>
    public void Start() => Monitoring.Start();

    /// <summary>Answers one query; every third answer is streamed.</summary>
    [MonitorOperation("process_query", "agent")]
    public async Task<string> ProcessQuery(string query, CancellationToken cancellationToken = default)
    {
        int[] tokens = Tokenize(query);
        if (tokens.Length == 0)
        {
            throw new ArgumentException("The query is empty.", nameof(query));
        }

        string? toolResult = Tools.TryRun(query);
        IReadOnlyList<Passage> candidates = await _documents.Retrieve(query, 4, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<Passage> ranked = await _documents.Rerank(query, candidates, cancellationToken).ConfigureAwait(false);
        string context = string.Join("\n\n", ranked.Take(2).Select(p => p.Text));

        if (Interlocked.Increment(ref _queries) % 3 == 0)
        {
            var streamed = new StringBuilder();
            await foreach (ChatResponseUpdate update in _model.Stream(query, context, cancellationToken).ConfigureAwait(false))
            {
                streamed.Append(update.Text);
            }

            return Finish(toolResult, streamed.ToString());
        }

        ChatResponse response = await _model.Generate(query, context, cancellationToken).ConfigureAwait(false);
        return Finish(toolResult, response.Text);
    }

    /// <summary>Splits a text into the model's tokens.</summary>
    [MonitorOperation("tokenize", "tokenizer")]
    public int[] Tokenize(string text) => [.. _model.Tokenizer.EncodeToIds(text)];

    public void Dispose() => Monitoring.Dispose();

    private static string Finish(string? toolResult, string answer) =>
        toolResult is null ? answer.Trim() : $"{toolResult}. {answer.Trim()}";
}

/// <summary>How the agent and its workload run.</summary>
public sealed record AgentOptions
{
    /// <summary>Where the knowledge base's <c>.txt</c> files are.</summary>
    public string DocumentsFolder { get; init; } = Path.Combine(AppContext.BaseDirectory, "Documents");

    /// <summary>Share of model calls that fail like a hosted model's (rate limit, timeout, context too long).</summary>
    public double ErrorRate { get; init; } = 0.1;

    /// <summary>Time the local model spends per generated token.</summary>
    public TimeSpan TokenLatency { get; init; } = TimeSpan.FromMilliseconds(1);
}
