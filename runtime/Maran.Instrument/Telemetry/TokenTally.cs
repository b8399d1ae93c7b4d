using System.Collections.Concurrent;
using Maran.Instrument.Diagnostics;

namespace Maran.Instrument.Telemetry;

/// <summary>
/// Tokens used so far in this process, by model and type (<c>input</c>, <c>output</c>, <c>cached</c>,
/// <c>reasoning</c>): the source of <c>tokens_total</c>. Fed by <see cref="UsageTelemetry.Record"/>.
/// </summary>
/// <remarks>
/// A call costs one lookup by the model name as reported and four interlocked adds on that model's counts; names that
/// share a label (cut to <see cref="MetricLabels"/>' length) share the counts.
/// </remarks>
internal sealed class TokenTally
{
    /// <summary>Most models tallied; usage of further models is dropped and counted (<c>token models</c>).</summary>
    internal const int MaxModels = 500;

    private static readonly string[] Types = ["input", "output", "cached", "reasoning"];

    private readonly ConcurrentDictionary<string, ModelTokens> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ModelTokens> _byLabel = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <summary>The process-wide tally.</summary>
    internal static TokenTally Process { get; } = new();

    /// <summary>Adds one call's usage under <paramref name="model"/> (<c>unknown</c> when null); zero counts add nothing.</summary>
    internal void Add(string? model, long input, long output, long cached, long reasoning)
    {
        string name = model ?? "unknown";
        if (!_byName.TryGetValue(name, out ModelTokens? tokens) && (tokens = Register(name)) is null)
        {
            return;
        }

        Add(ref tokens.Counts[0], input);
        Add(ref tokens.Counts[1], output);
        Add(ref tokens.Counts[2], cached);
        Add(ref tokens.Counts[3], reasoning);
    }

    /// <summary>Every (model, type) count so far; types never counted are left out.</summary>
    internal IEnumerable<KeyValuePair<(string Model, string Type), long>> Read()
    {
        foreach ((string label, ModelTokens tokens) in _byLabel)
        {
            for (int i = 0; i < Types.Length; i++)
            {
                if (Volatile.Read(ref tokens.Counts[i]) is > 0 and long count)
                {
                    yield return new KeyValuePair<(string Model, string Type), long>((label, Types[i]), count);
                }
            }
        }
    }

    private static void Add(ref long count, long tokens)
    {
        if (tokens > 0)
        {
            Interlocked.Add(ref count, tokens);
        }
    }

    // A name seen for the first time: its label's counts, or null (and a drop counted) past MaxModels labels.
    private ModelTokens? Register(string name)
    {
        lock (_gate)
        {
            if (_byName.TryGetValue(name, out ModelTokens? known))
            {
                return known;
            }

            string label = MetricLabels.Label(name);
            if (!_byLabel.TryGetValue(label, out ModelTokens? tokens))
            {
                if (_byLabel.Count >= MaxModels)
                {
                    MonitoringDiagnostics.Drop("token models");
                    return null;
                }

                _byLabel[label] = tokens = new ModelTokens();
            }

            // Names are bounded by the labels they map to only through truncation: remember at most a few per label.
            if (_byName.Count < MaxModels * 4)
            {
                _byName[name] = tokens;
            }

            return tokens;
        }
    }

    private sealed class ModelTokens
    {
        internal readonly long[] Counts = new long[4];
    }
}
