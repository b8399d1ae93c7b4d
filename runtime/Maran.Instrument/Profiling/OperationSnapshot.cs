namespace Maran.Instrument.Profiling;

/// <summary>The summed tallies of one operation at one moment, in raw units (stopwatch ticks).</summary>
internal sealed class OperationSnapshot(
    OperationRecorder recorder,
    long started,
    long succeeded,
    long failed,
    long cancelled,
    long timed,
    long totalTicks,
    long maxTicks,
    long allocationSamples,
    long allocatedBytes,
    long cpuSamples,
    long cpuNanoseconds,
    long[] buckets,
    long[]? errorBuckets,
    long[]? cancelledBuckets,
    IReadOnlyList<RecentCall> recentCalls,
    IReadOnlyDictionary<string, long> errorTypes,
    IReadOnlyDictionary<string, long> raisedErrorTypes,
    long streams,
    long streamItems,
    long firstItems,
    long firstItemTicks,
    long firstUseTimestamp)
{
    public OperationRecorder Recorder { get; } = recorder;

    public long Started { get; } = started;

    public long Succeeded { get; } = succeeded;

    public long Failed { get; } = failed;

    public long Cancelled { get; } = cancelled;

    /// <summary>Completed calls of every outcome.</summary>
    public long Count => Succeeded + Failed + Cancelled;

    /// <summary>Calls started and not yet ended (never negative, even mid-update).</summary>
    public long InFlight => Math.Max(0, Started - Count);

    /// <summary>Calls whose duration was measured (every call unless sampling is on).</summary>
    public long Timed { get; } = timed;

    public long TotalTicks { get; } = totalTicks;

    public long MaxTicks { get; } = maxTicks;

    public long AllocationSamples { get; } = allocationSamples;

    public long AllocatedBytes { get; } = allocatedBytes;

    /// <summary>Calls whose thread CPU time was measured (sampled; Linux only).</summary>
    public long CpuSamples { get; } = cpuSamples;

    /// <summary>Thread CPU time of those calls, in nanoseconds.</summary>
    public long CpuNanoseconds { get; } = cpuNanoseconds;

    /// <summary>Duration histogram of every timed call, whatever its outcome.</summary>
    public long[] Buckets { get; } = buckets;

    /// <summary>Duration histogram of timed calls that failed; null when none did.</summary>
    public long[]? ErrorBuckets { get; } = errorBuckets;

    /// <summary>Duration histogram of timed calls that were cancelled; null when none were.</summary>
    public long[]? CancelledBuckets { get; } = cancelledBuckets;

    public IReadOnlyList<RecentCall> RecentCalls { get; } = recentCalls;

    /// <summary>Failed calls by exception type, failures that came up from an inner monitored call included.</summary>
    public IReadOnlyDictionary<string, long> ErrorTypes { get; } = errorTypes;

    /// <summary>Failures first recorded by this operation, by exception type: each failure is counted by one operation only.</summary>
    public IReadOnlyDictionary<string, long> RaisedErrorTypes { get; } = raisedErrorTypes;

    public long Streams { get; } = streams;

    public long StreamItems { get; } = streamItems;

    public long FirstItems { get; } = firstItems;

    public long FirstItemTicks { get; } = firstItemTicks;

    /// <summary>Stopwatch timestamp of the first call on any thread; zero before any call.</summary>
    public long FirstUseTimestamp { get; } = firstUseTimestamp;

    /// <summary>The duration, in ticks, at quantile <paramref name="q"/> of every timed call.</summary>
    public double QuantileTicks(double q) => DurationHistogram.Quantile(Buckets, Timed, q, MaxTicks);

    /// <summary>The duration histogram of calls that ended with <paramref name="status"/>.</summary>
    public long[] BucketsFor(OperationStatus status)
    {
        switch (status)
        {
            case OperationStatus.Error:
                return ErrorBuckets ?? new long[Buckets.Length];
            case OperationStatus.Cancelled:
                return CancelledBuckets ?? new long[Buckets.Length];
            default:
                var success = (long[])Buckets.Clone();
                for (int i = 0; i < success.Length; i++)
                {
                    success[i] -= (ErrorBuckets?[i] ?? 0) + (CancelledBuckets?[i] ?? 0);
                    success[i] = Math.Max(0, success[i]);
                }

                return success;
        }
    }
}
