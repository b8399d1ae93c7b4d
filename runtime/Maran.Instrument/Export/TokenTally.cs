using System.Collections.Concurrent;

namespace Maran.Instrument;

/// <summary>
/// Tokens used so far in this process, by model and type (<c>input</c>, <c>output</c>, <c>cached</c>,
/// <c>reasoning</c>): the source of <c>tokens_total</c>. Fed by <see cref="OperationEvents.TokenUsage"/>.
/// </summary>
internal sealed class TokenTally
{
    /// <summary>Most models tallied; usage of further models is dropped and counted (<c>token models</c>).</summary>
    internal const int MaxModels = 500;

    private readonly ConcurrentDictionary<(string Model, string Type), StrongBox> _counts = new();
    private readonly ConcurrentDictionary<string, byte> _models = new(StringComparer.Ordinal);

    /// <summary>The process-wide tally.</summary>
    internal static TokenTally Process { get; } = new();

    /// <summary>Adds one call's usage; a zero count adds nothing.</summary>
    internal void Add(in TokenUsage usage)
    {
        string model = PrometheusMetricSet.Label(usage.ResponseModel ?? usage.Recorder.Model ?? "unknown");
        if (!_models.ContainsKey(model))
        {
            if (_models.Count >= MaxModels)
            {
                MonitoringDiagnostics.Drop("token models");
                return;
            }

            _models.TryAdd(model, 0);
        }

        Add(model, "input", usage.InputTokens);
        Add(model, "output", usage.OutputTokens);
        Add(model, "cached", usage.CachedTokens);
        Add(model, "reasoning", usage.ReasoningTokens);
    }

    /// <summary>Every (model, type) count so far.</summary>
    internal IEnumerable<KeyValuePair<(string Model, string Type), long>> Read() =>
        _counts.Select(static c => new KeyValuePair<(string Model, string Type), long>(c.Key, Volatile.Read(ref c.Value.Count)));

    private void Add(string model, string type, long count)
    {
        if (count > 0)
        {
            StrongBox box = _counts.GetOrAdd((model, type), static _ => new StrongBox());
            Interlocked.Add(ref box.Count, count);
        }
    }

    private sealed class StrongBox
    {
        internal long Count;
    }
}
