using System.Collections.Concurrent;

namespace Maran.Instrument.Alerts;

/// <summary>
/// Metrics another component provides through a read delegate (system health, costs). A metric nothing is
/// connected to yet reports no data, so its rules stay inactive instead of failing.
/// </summary>
internal sealed class ConnectedMetricSource : IAlertMetricSource
{
    private readonly ConcurrentDictionary<string, Func<IEnumerable<AlertSample>>> _readers = new(StringComparer.Ordinal);

    public void Connect(string metric, Func<IEnumerable<AlertSample>> read) => _readers[metric] = read;

    public bool IsConnected(string metric) => _readers.ContainsKey(metric);

    public void Read(AlertMetricQuery query, List<AlertSample> samples)
    {
        if (_readers.TryGetValue(query.Rule.Metric, out Func<IEnumerable<AlertSample>>? read))
        {
            samples.AddRange(read().Where(static s => double.IsFinite(s.Value)));
        }
    }
}
