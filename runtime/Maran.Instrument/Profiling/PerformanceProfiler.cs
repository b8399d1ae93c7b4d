using System.Diagnostics;

namespace Maran.Instrument.Profiling;

/// <summary>
/// Times operations and summarises them: every <see cref="MonitorOperationAttribute"/> method, plus whatever is
/// timed by hand with <see cref="StartOperation"/>/<see cref="EndOperation"/> or <see cref="Operation"/>.
/// </summary>
public sealed class PerformanceProfiler
{
    private static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(1);
    private readonly object _rateGate = new();
    private readonly Dictionary<int, Queue<(long Timestamp, long Count)>> _rateSamples = [];

    internal PerformanceProfiler(IGpuTimeline? gpu = null)
    {
        Gpu = gpu;
    }

    /// <summary>The GPU samples lined up with each operation's recent calls, if any (the health monitor's).</summary>
    private IGpuTimeline? Gpu { get; }

    /// <summary>
    /// Starts timing a call of operation <paramref name="name"/> in <paramref name="component"/>; allocates nothing once the
    /// operation exists. Past <c>monitoring.max_operations</c> operations, a new name is counted as <c>(other)</c> in its component.
    /// </summary>
    public OperationToken StartOperation(string name, string component) =>
        new(OperationScope.Start(OperationRegistry.GetOrAddByName(name, component)));

    /// <summary>Ends a call started with <see cref="StartOperation"/>.</summary>
    /// <param name="token">The token <see cref="StartOperation"/> returned.</param>
    /// <param name="status">How the call ended.</param>
    /// <param name="exception">The exception of a failed call, if there is one.</param>
    public void EndOperation(OperationToken token, OperationStatus status = OperationStatus.Success, Exception? exception = null)
    {
        OperationScope scope = token.Scope;
        if (status == OperationStatus.Success && exception is null)
        {
            scope.EndOnAnyThread(OperationStatus.Success, null);
        }
        else
        {
            scope.EndOnAnyThread(status == OperationStatus.Success ? OperationScope.Classify(exception) : status, exception);
        }

        scope.Detach();
    }

    /// <summary>
    /// Times a <c>using</c> block as one call of operation <paramref name="name"/> in <paramref name="component"/>. Past
    /// <c>monitoring.max_operations</c> operations, a new name is counted as <c>(other)</c> in its component.
    /// </summary>
    public OperationHandle Operation(string name, string component) =>
        new(OperationScope.Start(OperationRegistry.GetOrAddByName(name, component)));

    /// <summary>
    /// Every operation's count, errors, percentiles, mean, max, total time and rate. A pure read: reading it twice
    /// gives the same figures, and calls per second come from the counts the system samples once a second.
    /// </summary>
    public PerformanceSummary GetPerformanceSummary()
    {
        long now = Stopwatch.GetTimestamp();
        var operations = new List<OperationSummary>();
        foreach (OperationRecorder recorder in OperationRegistry.All)
        {
            OperationSnapshot snapshot = recorder.Snapshot();
            operations.Add(WithGpu(Summarise(snapshot, CallsPerSecond(snapshot)), snapshot));
        }

        operations.Sort(static (a, b) => b.TotalMs.CompareTo(a.TotalMs));
        return new PerformanceSummary
        {
            Timestamp = MonitoringClock.ToDateTime(now),
            Operations = operations,
            CallTree = [.. CallTree.Edges().Select(ToEdge).Where(e => e is not null).Select(e => e!)],
        };
    }

    /// <summary>The summary of one operation, or null if it does not exist.</summary>
    public OperationSummary? GetOperationSummary(string name, string component)
    {
        OperationRecorder? recorder = OperationRegistry.Find(name, component);
        if (recorder is null)
        {
            return null;
        }

        OperationSnapshot snapshot = recorder.Snapshot();
        return WithGpu(Summarise(snapshot, CallsPerSecond(snapshot)), snapshot);
    }

    /// <summary>The most recent timed calls of an operation, oldest first (up to 32 per thread that ran it).</summary>
    public IReadOnlyList<RecentCallInfo> GetRecentCalls(string name, string component)
    {
        OperationRecorder? recorder = OperationRegistry.Find(name, component);
        if (recorder is null)
        {
            return [];
        }

        return [.. recorder.Snapshot().RecentCalls.Select(static c => new RecentCallInfo(
            MonitoringClock.ToDateTime(c.StartTimestamp),
            MonitoringClock.ToMilliseconds(c.ElapsedTicks),
            c.Status))];
    }

    internal static OperationSummary Summarise(OperationSnapshot s, double callsPerSecond)
    {
        long count = s.Count;
        bool sampled = s.Timed < count;
        double totalTicks = s.Timed == 0 ? 0 : sampled ? (double)s.TotalTicks * count / s.Timed : s.TotalTicks;
        return new OperationSummary
        {
            Name = s.Recorder.Name,
            Component = s.Recorder.Component,
            Method = s.Recorder.Method,
            Kind = s.Recorder.Kind,
            Provider = s.Recorder.Provider,
            GenAIOperation = s.Recorder.GenAIOperation,
            Count = count,
            Errors = s.Failed,
            Cancelled = s.Cancelled,
            InFlight = s.InFlight,
            ErrorRate = count == 0 ? 0 : (double)s.Failed / count,
            TimedCount = s.Timed,
            IsSampled = sampled,
            MeanMs = s.Timed == 0 ? 0 : MonitoringClock.ToMilliseconds((double)s.TotalTicks / s.Timed),
            P50Ms = MonitoringClock.ToMilliseconds(s.QuantileTicks(0.50)),
            P95Ms = MonitoringClock.ToMilliseconds(s.QuantileTicks(0.95)),
            P99Ms = MonitoringClock.ToMilliseconds(s.QuantileTicks(0.99)),
            MaxMs = MonitoringClock.ToMilliseconds(s.MaxTicks),
            TotalMs = MonitoringClock.ToMilliseconds(totalTicks),
            CallsPerSecond = callsPerSecond,
            AllocatedBytesPerCall = s.AllocationSamples == 0 ? null : (double)s.AllocatedBytes / s.AllocationSamples,
            CpuTimePerCallMs = s.CpuSamples == 0 ? null : s.CpuNanoseconds / 1e6 / s.CpuSamples,
            Streams = s.Streams,
            StreamItems = s.StreamItems,
            MeanTimeToFirstItemMs = s.FirstItems == 0 ? null : MonitoringClock.ToMilliseconds((double)s.FirstItemTicks / s.FirstItems),
            ErrorTypes = s.ErrorTypes,
        };
    }

    private OperationSummary WithGpu(OperationSummary summary, OperationSnapshot snapshot) =>
        Gpu?.GpuUtilizationDuring(snapshot.RecentCalls) is { } gpu
            ? summary with { GpuUtilizationPercent = gpu.Percent, GpuUtilizationSamples = gpu.Samples }
            : summary;

    /// <summary>
    /// Records every used operation's count at <paramref name="now"/>, keeping a minute of samples: the rate sampler's
    /// tick, once a second while the system runs. Reads never sample, so how often a summary is read does not change
    /// its rates.
    /// </summary>
    internal void SampleRates(long now)
    {
        long window = (long)(RateWindow.TotalSeconds * Stopwatch.Frequency);
        foreach (OperationRecorder recorder in OperationRegistry.All)
        {
            if (!recorder.IsUsed)
            {
                continue;
            }

            long count = recorder.CompletedCount();
            lock (_rateGate)
            {
                if (!_rateSamples.TryGetValue(recorder.Id, out Queue<(long Timestamp, long Count)>? samples))
                {
                    samples = new Queue<(long Timestamp, long Count)>();
                    _rateSamples.Add(recorder.Id, samples);
                }

                samples.Enqueue((now, count));
                while (samples.Count > 1 && now - samples.Peek().Timestamp > window)
                {
                    samples.Dequeue();
                }
            }
        }
    }

    // Calls per second over the kept samples (the last minute): from the oldest to the newest, or from the first use to
    // the only one; before any sample, from the first use to the end of the latest call. Reads only, so two reads agree.
    private double CallsPerSecond(OperationSnapshot snapshot)
    {
        lock (_rateGate)
        {
            if (_rateSamples.TryGetValue(snapshot.Recorder.Id, out Queue<(long Timestamp, long Count)>? samples) && samples.Count > 0)
            {
                (long Timestamp, long Count) newest = samples.Last();
                (long Timestamp, long Count) oldest = samples.Count > 1 ? samples.Peek() : (snapshot.FirstUseTimestamp, 0);
                return Rate(newest.Count - oldest.Count, oldest.Timestamp, newest.Timestamp);
            }
        }

        long latestEnd = 0;
        foreach (RecentCall call in snapshot.RecentCalls)
        {
            latestEnd = Math.Max(latestEnd, call.StartTimestamp + call.ElapsedTicks);
        }

        return Rate(snapshot.Count, snapshot.FirstUseTimestamp, latestEnd);
    }

    private static double Rate(long calls, long from, long to) =>
        from == 0 || to <= from ? 0 : calls / MonitoringClock.ToSeconds(to - from);

    private static CallTreeEdge? ToEdge((int Parent, int Child, long Count, long TotalTicks) edge)
    {
        OperationRecorder? child = OperationRegistry.ById(edge.Child);
        if (child is null)
        {
            return null;
        }

        OperationRecorder? parent = edge.Parent == CallTree.Root ? null : OperationRegistry.ById(edge.Parent);
        return new CallTreeEdge(parent?.Name, parent?.Component, child.Name, child.Component, edge.Count, MonitoringClock.ToMilliseconds(edge.TotalTicks));
    }
}
