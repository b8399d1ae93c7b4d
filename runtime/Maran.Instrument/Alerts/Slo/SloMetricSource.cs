namespace Maran.Instrument.Alerts;

/// <summary>
/// Where burn-rate rules read their SLO: one sample, the burn rate over the rule's long window, labelled with the
/// SLO and its operation; no data while that window saw no call.
/// </summary>
internal sealed class SloMetricSource(IReadOnlyDictionary<string, SloTracker> trackers) : IAlertMetricSource
{
    public void Read(AlertMetricQuery query, List<AlertSample> samples)
    {
        if (query.Rule.BurnRate is not { } burn || !trackers.TryGetValue(burn.Slo.Name, out SloTracker? tracker)
            || tracker.BurnRate(query.Now, burn.LongWindow) is not { } rate)
        {
            return;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["slo"] = burn.Slo.Name,
            ["operation"] = burn.Slo.Operation,
        };
        if (burn.Slo.Component is { } component)
        {
            labels["component"] = component;
        }

        samples.Add(new AlertSample(rate, labels));
    }
}
