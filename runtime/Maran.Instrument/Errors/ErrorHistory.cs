using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Errors;

/// <summary>
/// What the error tracker keeps in memory: the groups, errors per hour and group, monitored calls per hour and
/// operation, the failures that only passed through an operation, and the latest errors. The loop changes it and the
/// queries read it under <see cref="Gate"/>, so a read sees whole batches; the passed-through counts are added to
/// without it, from the failure path.
/// </summary>
internal sealed class ErrorHistory(TimeProvider time)
{
    /// <summary>Milliseconds in an hour: the width of every hourly count.</summary>
    internal const long HourMs = 3_600_000;

    /// <summary>Latest errors kept in memory, for when the database cannot be read.</summary>
    internal const int RecentCapacity = 200;

    /// <summary>Taken by every change and read of the dictionaries below.</summary>
    public object Gate { get; } = new();

    public Dictionary<string, ErrorGroupState> Groups { get; } = new(StringComparer.Ordinal);

    public Dictionary<HourlyErrorKey, long> Hourly { get; } = [];

    public Dictionary<HourlyCallKey, long> Calls { get; } = [];

    /// <summary>Each operation's started calls at the last sample: what was started since lands in the hour of the next.</summary>
    public Dictionary<OperationRecorder, long> CallBaseline { get; } = [];

    /// <summary>Failures raised in an inner monitored call that failed the outer one too, per hour and outer operation.</summary>
    public ConcurrentDictionary<HourlyCallKey, StrongBox<long>> PassedThrough { get; } = new();

    public Queue<TrackedError> Recent { get; } = new();

    /// <summary>Counts a failure that passed through <paramref name="recorder"/>: part of its error rate only.</summary>
    public void CountPassedThrough(OperationRecorder recorder)
    {
        var key = new HourlyCallKey(HourOf(time.GetUtcNow().ToUnixTimeMilliseconds()), recorder.Component, recorder.Name);
        StrongBox<long> box = PassedThrough.GetOrAdd(key, static _ => new StrongBox<long>());
        Interlocked.Increment(ref box.Value);
    }

    /// <summary>The start of the clock hour holding <paramref name="unixMs"/>.</summary>
    public static long HourOf(long unixMs) => unixMs - (((unixMs % HourMs) + HourMs) % HourMs);
}
