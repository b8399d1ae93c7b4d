using Maran.Instrument.Profiling;

namespace Maran.Instrument.Alerts;

/// <summary>
/// Tracks one SLO's good and total calls, fed once per evaluation from the recorders' snapshots: fine buckets (a
/// tenth of the shortest alert window, at least 1 s) as far back as the longest alert window, for burn rates, and
/// coarse buckets (1/720 of the SLO window: an hour for 30 days) over the whole window, for the error budget.
/// About 2,200 buckets at most, whatever the traffic.
/// </summary>
/// <remarks>
/// Availability counts succeeded and failed calls (cancelled ones are neither). Latency counts timed calls (every
/// call unless sampling is on) at most the threshold long, from the recorders' log-linear histogram: buckets wholly
/// under the threshold count whole, the bucket holding it counts in proportion, so the count is off by at most the
/// calls of that one bucket (at most 12.5 % wide). Calls are placed in the bucket of the evaluation that first saw
/// them, so windows are exact to one evaluation interval plus one bucket width.
/// </remarks>
internal sealed class SloTracker
{
    private const int CoarseBuckets = 720;
    private const int FineBucketsPerWindow = 10;

    private readonly BucketRing _fine;
    private readonly BucketRing _coarse;
    private readonly Dictionary<int, (double Good, double Total)> _seen = [];
    private readonly long _latencyTicks;
    private bool _started;

    public SloTracker(SloDefinition slo)
    {
        Slo = slo;
        TimeSpan shortest = slo.BurnRates.Count == 0 ? TimeSpan.FromMinutes(5) : slo.BurnRates.Min(static b => b.ShortWindow);
        TimeSpan longest = slo.BurnRates.Count == 0 ? TimeSpan.FromHours(1) : slo.BurnRates.Max(static b => b.LongWindow);
        TimeSpan fine = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, shortest.Ticks / FineBucketsPerWindow));
        _fine = new BucketRing(fine, (int)Math.Min(100_000, (longest.Ticks / fine.Ticks) + 2));
        _coarse = new BucketRing(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, slo.Window.Ticks / CoarseBuckets)), CoarseBuckets + 1);
        _latencyTicks = slo.Latency is { } latency ? (long)(latency.TotalSeconds * System.Diagnostics.Stopwatch.Frequency) : 0;
    }

    public SloDefinition Slo { get; }

    /// <summary>Adds the calls that ended since the last evaluation. The first evaluation only takes the baseline.</summary>
    public void Observe(DateTimeOffset now, AlertEvaluationCycle cycle)
    {
        double good = 0, total = 0;
        foreach (OperationSnapshot snapshot in cycle.Operations)
        {
            OperationRecorder recorder = snapshot.Recorder;
            if (recorder.Name != Slo.Operation || (Slo.Component is not null && recorder.Component != Slo.Component))
            {
                continue;
            }

            (double Good, double Total) counts = Slo.Latency is null
                ? (snapshot.Succeeded, snapshot.Succeeded + snapshot.Failed)
                : (TimedUnder(snapshot.Buckets, _latencyTicks), snapshot.Timed);

            // A recorder first seen after the first evaluation started since then: all its calls are new.
            (double Good, double Total) before = _seen.TryGetValue(recorder.Id, out var last) ? last : _started ? (0, 0) : counts;
            _seen[recorder.Id] = counts;
            good += Math.Max(0, counts.Good - before.Good);
            total += Math.Max(0, counts.Total - before.Total);
        }

        _started = true;
        if (total > 0)
        {
            _fine.Add(now, good, total);
            _coarse.Add(now, good, total);
        }
    }

    /// <summary>The burn rate over the window ending now; null when the window saw no call.</summary>
    public double? BurnRate(DateTimeOffset now, TimeSpan window)
    {
        (double good, double total) = _fine.Sum(now, window);
        return total > 0 ? Slo.BurnRateOf((total - good) / total) : null;
    }

    /// <summary>The SLO's standing over its window: good and total calls and the share of the error budget left (1 with no call; negative when overspent).</summary>
    public (double Good, double Total, double BudgetRemaining) Budget(DateTimeOffset now)
    {
        (double good, double total) = _coarse.Sum(now, Slo.Window);
        double remaining = total > 0 ? 1 - ((total - good) / total / Slo.ErrorBudget) : 1;
        return (good, total, remaining);
    }

    /// <summary>The SLO's status now, for the API, the dashboard and <c>/metrics</c>.</summary>
    public SloStatus Status(DateTimeOffset now)
    {
        (double good, double total, double remaining) = Budget(now);
        var windows = new SortedSet<TimeSpan>(Slo.BurnRates.SelectMany(static b => (TimeSpan[])[b.LongWindow, b.ShortWindow]));
        return new SloStatus(
            Slo.Name,
            Slo.Operation,
            Slo.Component,
            Slo.Objective,
            Slo.Latency,
            Slo.Window,
            good,
            total,
            remaining,
            [.. windows.Select(w => new SloBurnRateReading(w, BurnRate(now, w)))]);
    }

    // Timed calls at most `ticks` long: whole buckets under the threshold, and the bucket holding it in proportion.
    internal static double TimedUnder(long[] buckets, long ticks)
    {
        double under = 0;
        for (int i = 0; i < buckets.Length; i++)
        {
            long lower = DurationHistogram.LowerBound(i);
            if (lower > ticks)
            {
                break;
            }

            long upper = DurationHistogram.UpperBound(i);
            under += upper <= ticks + 1 ? buckets[i] : buckets[i] * (double)(ticks + 1 - lower) / (upper - lower);
        }

        return under;
    }
}
