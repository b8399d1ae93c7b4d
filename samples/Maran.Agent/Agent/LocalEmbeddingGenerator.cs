using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Maran.Agent;

/// <summary>
/// A small, real embedding model that runs in process: each text becomes a hashed bag of its tokens and token
/// pairs (weighted by log frequency, L2-normalised), so texts that share words point the same way.
/// </summary>
public sealed class LocalEmbeddingGenerator(Tokenizer tokenizer, int dimensions = 512) : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The name under which usage is reported.</summary>
    public const string ModelName = "maran-local-embedding";

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var embeddings = new GeneratedEmbeddings<Embedding<float>>();
        long tokens = 0;
        foreach (string value in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IReadOnlyList<int> ids = tokenizer.EncodeToIds(ContentWords(value));
            tokens += ids.Count;
            embeddings.Add(new Embedding<float>(Vectorize(ids)) { ModelId = ModelName, CreatedAt = DateTimeOffset.UtcNow });
        }

        embeddings.Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens };
        return Task.FromResult(embeddings);
    }

    // Words that carry meaning: function words would make every text look alike.
    private static string ContentWords(string text) =>
        string.Join(' ', text.ToLowerInvariant()
            .Split([' ', '\n', '\r', '\t', ',', '.', '?', '!', ';', ':', '"', '\'', '(', ')', '-'], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Length > 2 && !StopWords.Contains(w)));

    private static readonly HashSet<string> StopWords =
    [
        "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "her", "was", "one", "our", "out",
        "has", "have", "his", "how", "its", "who", "why", "what", "when", "where", "which", "with", "that", "this",
        "they", "them", "their", "there", "these", "those", "from", "into", "than", "then", "should", "would", "could",
        "does", "did", "each", "other", "some", "such", "very", "more", "most", "much", "many", "also", "only", "while",
    ];

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private float[] Vectorize(IReadOnlyList<int> ids)
    {
        var vector = new float[dimensions];
        for (int i = 0; i < ids.Count; i++)
        {
            vector[Bucket(ids[i])] += 1f;
            if (i > 0)
            {
                vector[Bucket((ids[i - 1] * 31) ^ ids[i])] += 0.5f;
            }
        }

        double norm = 0;
        for (int i = 0; i < vector.Length; i++)
        {
            vector[i] = vector[i] > 0 ? 1f + MathF.Log(vector[i]) : 0f;
            norm += vector[i] * vector[i];
        }

        float scale = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0f;
        for (int i = 0; i < vector.Length; i++)
        {
            vector[i] *= scale;
        }

        return vector;
    }

    private int Bucket(int value) => (int)((uint)(value * 2654435761u) % (uint)dimensions);
}
