using Maran.Instrument;
using Microsoft.Extensions.AI;

namespace Maran.Agent;

/// <summary>The agent's knowledge base: passages of the shipped documents, embedded once, searched by cosine similarity.</summary>
public sealed class DocumentStore
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embedder;
    private readonly List<(string Source, string Text, float[] Vector)> _passages = [];

    private DocumentStore(IEmbeddingGenerator<string, Embedding<float>> embedder) => _embedder = embedder;

    /// <summary>Every passage's text.</summary>
    public IEnumerable<string> Texts => _passages.Select(p => p.Text);

    /// <summary>Loads and embeds the <c>.txt</c> files of <paramref name="folder"/>, one passage per paragraph.</summary>
    public static async Task<DocumentStore> LoadAsync(string folder, IEmbeddingGenerator<string, Embedding<float>> embedder, CancellationToken cancellationToken = default)
    {
        var store = new DocumentStore(embedder);
        var passages = Directory.GetFiles(folder, "*.txt")
            .OrderBy(f => f, StringComparer.Ordinal)
            .SelectMany(file => File.ReadAllText(file)
                .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(text => (Source: Path.GetFileNameWithoutExtension(file), Text: text)))
            .ToList();
        GeneratedEmbeddings<Embedding<float>> vectors = await store.Embed(passages.Select(p => p.Text), cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < passages.Count; i++)
        {
            store._passages.Add((passages[i].Source, passages[i].Text, vectors[i].Vector.ToArray()));
        }

        return store;
    }

    /// <summary>Embeds texts with the store's embedding model.</summary>
    [MonitorOperation("embed", "rag", Model = LocalEmbeddingGenerator.ModelName)]
    public Task<GeneratedEmbeddings<Embedding<float>>> Embed(IEnumerable<string> texts, CancellationToken cancellationToken = default) =>
        _embedder.GenerateAsync(texts, cancellationToken: cancellationToken);

    /// <summary>The <paramref name="count"/> passages closest to <paramref name="query"/>.</summary>
    [MonitorOperation("retrieve", "rag")]
    public async Task<IReadOnlyList<Passage>> Retrieve(string query, int count, CancellationToken cancellationToken = default)
    {
        GeneratedEmbeddings<Embedding<float>> embedded = await Embed([query], cancellationToken).ConfigureAwait(false);
        float[] q = embedded[0].Vector.ToArray();
        return [.. _passages
            .Select(p => new Passage(p.Source, p.Text, Dot(q, p.Vector)))
            .OrderByDescending(p => p.Score)
            .Take(count)];
    }

    /// <summary>
    /// Orders candidates by how well one of their sentences covers the query's words. It waits
    /// <see cref="RerankLatency"/> per candidate, standing in for a cross-encoder model call: the slow stage the
    /// profiler's bottleneck view should point at.
    /// </summary>
    [MonitorOperation("rerank", "rag")]
    public async Task<IReadOnlyList<Passage>> Rerank(string query, IReadOnlyList<Passage> candidates, CancellationToken cancellationToken = default)
    {
        string[] words = query.ToLowerInvariant().Split([' ', '?', '.', ','], StringSplitOptions.RemoveEmptyEntries);
        var scored = new List<Passage>(candidates.Count);
        foreach (Passage candidate in candidates)
        {
            await Task.Delay(RerankLatency, cancellationToken).ConfigureAwait(false);
            scored.Add(candidate with { Score = candidate.Score + Coverage(words, candidate.Text) });
        }

        return [.. scored.OrderByDescending(c => c.Score)];
    }

    /// <summary>Time the reranker spends per candidate.</summary>
    public TimeSpan RerankLatency { get; init; } = TimeSpan.FromMilliseconds(8);

    private static float Coverage(string[] words, string text) =>
        text.Split('.', StringSplitOptions.RemoveEmptyEntries)
            .Select(sentence => words.Count(w => sentence.Contains(w, StringComparison.OrdinalIgnoreCase)) / (float)Math.Max(1, words.Length))
            .DefaultIfEmpty(0)
            .Max();

    private static float Dot(float[] a, float[] b)
    {
        float sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}

/// <summary>One passage of a document and how well it matches a query.</summary>
public sealed record Passage(string Source, string Text, float Score);
