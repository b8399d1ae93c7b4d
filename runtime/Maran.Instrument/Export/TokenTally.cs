using System.Collections.Concurrent;

namespace Maran.Instrument;

/// <summary>
/// Tokens used so far in this process, by model and type (<c>input</c>, <c>output</c>, <c>cached</c>,
/// <c>reasoning</c>): the source of <c>tokens_total</c>. Fed by <see cref="UsageTelemetry.Record"/>.
/// </summary>
internal sealed class TokenTally
{
    /// <summary>Most models tallied; usage of further models is dropped and counted (<c>token models</c>).</summary>
    internal const int MaxModels = 500;

    private readonly ConcurrentDictionary<(string Model, string Type), StrongBox> _counts = new();
    private readonly ConcurrentDictionary<string, byte> _models = new(StringComparer.Ordinal);

    /// <summary>The process-wide tally.</summary>
    internal static TokenTally Process { get; } = new();

    /// <summary>Adds one call's usage under <paramref name="model"/> (<c>unknown</c> when null); zero counts add nothing.</summary>
    internal void Add(string? model, long input, long output, long cached, long reasoning)
    {
        string label = MetricLabels.Label(model ?? "unknown");
        if (!_models.ContainsKey(label))
        {
            if (_models.Count >= MaxModels)
            {
                MonitoringDiagnostics.Drop("token models");
                return;
            }

            _models.TryAdd(label, 0);
        }

        Add(label, "input", input);
        Add(label, "output", output);
        Add(label, "cached", cached);
        Add(label, "reasoning", reasoning);
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
