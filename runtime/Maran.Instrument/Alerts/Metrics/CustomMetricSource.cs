using System.Collections.Concurrent;

namespace Maran.Instrument.Alerts;

/// <summary>Values a program feeds (<see cref="AlertEngine.SetCustomMetric"/>): the last value of each series is what rules see.</summary>
internal sealed class CustomMetricSource : IAlertMetricSource
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, AlertSample>> _series = new(StringComparer.Ordinal);

    public void Set(string metric, double value, IReadOnlyDictionary<string, string>? labels)
    {
        IReadOnlyDictionary<string, string>? copy = labels is null || labels.Count == 0
            ? null
            : new SortedDictionary<string, string>(labels.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        string key = copy is null ? string.Empty : string.Join('\u001f', copy.Select(p => p.Key + "=" + p.Value));
        _series.GetOrAdd(metric, static _ => new ConcurrentDictionary<string, AlertSample>(StringComparer.Ordinal))[key] = new AlertSample(value, copy);
    }

    /// <summary>Whether the metric has been fed since start (so it was declared).</summary>
    public bool Knows(string metric) => _series.ContainsKey(metric);

    public void Clear(string metric) => _series.TryRemove(metric, out _);

    /// <summary>Where a metric nobody fed here is looked up instead (the health monitor's custom readings); none when null.</summary>
    public Func<string, IEnumerable<AlertSample>>? Fallback { get; set; }

    public void Read(AlertMetricQuery query, List<AlertSample> samples)
    {
        if (_series.TryGetValue(query.Rule.Metric, out ConcurrentDictionary<string, AlertSample>? series))
        {
            samples.AddRange(series.Values);
        }
        else if (Fallback is { } fallback)
        {
            samples.AddRange(fallback(query.Rule.Metric).Where(static s => double.IsFinite(s.Value)));
        }
    }
}
