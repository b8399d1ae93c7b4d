using Maran.Instrument.Profiling;

namespace Maran.Instrument.Alerts;

/// <summary>
/// Per-operation metrics from the recorders. Windowed ones (percentiles, mean duration, error rate, errors, calls per second)
/// come from the change between this evaluation's snapshot and the oldest one still inside the rule's window,
/// kept per rule; the first evaluation of an operation only sets the baseline, so it reports no data.
/// </summary>
internal sealed class ProfilerMetricSource : IAlertMetricSource
{
    /// <summary>The window of windowed metrics when a rule gives none.</summary>
    internal static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(5);

    public void Read(AlertMetricQuery query, List<AlertSample> samples)
    {
        AlertRule rule = query.Rule;
        if (query.State is not Dictionary<int, List<Point>> history)
        {
            history = [];
            query.State = history;
        }

        bool quantile = rule.Metric is AlertMetrics.OperationP95Ms or AlertMetrics.OperationP99Ms;
        DateTimeOffset cutoff = query.Now - (rule.Window ?? DefaultWindow);
        foreach (OperationSnapshot snapshot in query.Cycle.Operations)
        {
            OperationRecorder recorder = snapshot.Recorder;
            if ((rule.Operation is not null && rule.Operation != recorder.Name)
                || (rule.Component is not null && rule.Component != recorder.Component))
            {
                continue;
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["operation"] = recorder.Name,
                ["component"] = recorder.Component,
            };
            if (rule.Metric == AlertMetrics.OperationInFlight)
            {
                samples.Add(new AlertSample(snapshot.InFlight, labels));
                continue;
            }

            if (!history.TryGetValue(recorder.Id, out List<Point>? points))
            {
                points = [];
                history.Add(recorder.Id, points);
            }

            // Keep the newest point at or before the window's start as the baseline, and everything after it.
            while (points.Count >= 2 && points[1].At <= cutoff)
            {
                points.RemoveAt(0);
            }

            Point? baseline = points.Count > 0 ? points[0] : null;
            var current = new Point(query.Now, snapshot.Count, snapshot.Failed, snapshot.Timed, snapshot.TotalTicks, quantile ? snapshot.Buckets : null);
            points.Add(current);
            if (baseline is null || baseline.At >= current.At)
            {
                continue;
            }

            if (Compute(rule.Metric, baseline, current, snapshot.MaxTicks) is { } value)
            {
                samples.Add(new AlertSample(value, labels));
            }
        }
    }

    private static double? Compute(string metric, Point baseline, Point current, long maxTicks)
    {
        long calls = current.Count - baseline.Count;
        long errors = current.Failed - baseline.Failed;
        switch (metric)
        {
            case AlertMetrics.OperationErrors:
                return errors;
            case AlertMetrics.OperationErrorRate:
                return calls > 0 ? (double)errors / calls : null;
            case AlertMetrics.OperationCallsPerSecond:
                return calls / (current.At - baseline.At).TotalSeconds;
            case AlertMetrics.OperationMeanMs:
                long timedCalls = current.Timed - baseline.Timed;
                return timedCalls > 0 ? MonitoringClock.ToMilliseconds((double)(current.TotalTicks - baseline.TotalTicks) / timedCalls) : null;
            case AlertMetrics.OperationP95Ms:
            case AlertMetrics.OperationP99Ms:
                long timed = current.Timed - baseline.Timed;
                if (timed <= 0 || current.Buckets is null || baseline.Buckets is null)
                {
                    return null;
                }

                var delta = new long[current.Buckets.Length];
                for (int i = 0; i < delta.Length; i++)
                {
                    delta[i] = Math.Max(0, current.Buckets[i] - baseline.Buckets[i]);
                }

                double q = metric == AlertMetrics.OperationP95Ms ? 0.95 : 0.99;
                return MonitoringClock.ToMilliseconds(DurationHistogram.Quantile(delta, timed, q, maxTicks));
            default:
                return null;
        }
    }

    private sealed record Point(DateTimeOffset At, long Count, long Failed, long Timed, long TotalTicks, long[]? Buckets);
}
