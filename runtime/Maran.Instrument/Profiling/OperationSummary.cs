namespace Maran.Instrument.Profiling;

/// <summary>What the profiler knows of one operation. Durations are in milliseconds.</summary>
public sealed record OperationSummary
{
    /// <summary>The operation's name.</summary>
    public required string Name { get; init; }

    /// <summary>The operation's component.</summary>
    public required string Component { get; init; }

    /// <summary>The monitored method, when the operation comes from an attribute.</summary>
    public string? Method { get; init; }

    /// <summary>An operation of the application, or a model, tool or agent call measured where it was made.</summary>
    public OperationKind Kind { get; init; }

    /// <summary>The provider of a model call (<c>gen_ai.provider.name</c>), when the API names one.</summary>
    public string? Provider { get; init; }

    /// <summary>The GenAI operation of a model, tool or agent call (<c>gen_ai.operation.name</c>), if any.</summary>
    public string? GenAIOperation { get; init; }

    /// <summary>Completed calls, whatever their outcome.</summary>
    public long Count { get; init; }

    /// <summary>Calls that failed (cancellations excluded).</summary>
    public long Errors { get; init; }

    /// <summary>Calls that were cancelled.</summary>
    public long Cancelled { get; init; }

    /// <summary>Calls started and not yet ended.</summary>
    public long InFlight { get; init; }

    /// <summary>Errors divided by completed calls; 0 when there are none.</summary>
    public double ErrorRate { get; init; }

    /// <summary>Calls whose duration was measured: all of them unless sampling is on.</summary>
    public long TimedCount { get; init; }

    /// <summary>Whether durations come from a sample of the calls (then <see cref="TotalMs"/> is estimated).</summary>
    public bool IsSampled { get; init; }

    /// <summary>Mean duration.</summary>
    public double MeanMs { get; init; }

    /// <summary>Median duration.</summary>
    public double P50Ms { get; init; }

    /// <summary>95th percentile duration.</summary>
    public double P95Ms { get; init; }

    /// <summary>99th percentile duration.</summary>
    public double P99Ms { get; init; }

    /// <summary>Longest measured duration.</summary>
    public double MaxMs { get; init; }

    /// <summary>Time spent in the operation over all calls.</summary>
    public double TotalMs { get; init; }

    /// <summary>Completed calls per second over the last minute (since the first call, before a minute has passed).</summary>
    public double CallsPerSecond { get; init; }

    /// <summary>Mean bytes allocated by the calling thread during a call, from sampled calls; null before the first sample.</summary>
    public double? AllocatedBytesPerCall { get; init; }

    /// <summary>
    /// Mean CPU time of the calling thread during a call, from sampled calls that ended on the thread that started
    /// them (1 in <c>allocation_rate</c> x <c>cpu_time_rate</c> timed calls); null before the first sample, and off
    /// the platforms where a thread's CPU time is cheap to read (Linux only).
    /// </summary>
    public double? CpuTimePerCallMs { get; init; }

    /// <summary>
    /// Mean GPU utilisation (over every GPU) in the health samples taken while one of the operation's recent calls
    /// ran; null when no sample fell in a call's window (samples come every <c>health_check_interval</c> seconds).
    /// </summary>
    public double? GpuUtilizationPercent { get; init; }

    /// <summary>How many health samples <see cref="GpuUtilizationPercent"/> is the mean of.</summary>
    public int GpuUtilizationSamples { get; init; }

    /// <summary>Streams (<see cref="IAsyncEnumerable{T}"/> results) that ended.</summary>
    public long Streams { get; init; }

    /// <summary>Items produced by the streams that ended.</summary>
    public long StreamItems { get; init; }

    /// <summary>Mean time from the call to the first item of a stream; null when no stream produced one.</summary>
    public double? MeanTimeToFirstItemMs { get; init; }

    /// <summary>Errors by exception type (full name).</summary>
    public IReadOnlyDictionary<string, long> ErrorTypes { get; init; } = new Dictionary<string, long>();
}

/// <summary>One recently completed, timed call of an operation.</summary>
/// <param name="Start">When the call started.</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="Status">How it ended.</param>
public sealed record RecentCallInfo(DateTimeOffset Start, double DurationMs, OperationStatus Status);

/// <summary>How often one operation ran inside another (or at the top: <see cref="ParentName"/> null), and for how long.</summary>
/// <param name="ParentName">The enclosing operation's name, or null for calls outside any monitored operation.</param>
/// <param name="ParentComponent">The enclosing operation's component, or null.</param>
/// <param name="Name">The nested operation's name.</param>
/// <param name="Component">The nested operation's component.</param>
/// <param name="Count">How many calls of the nested operation ran inside the enclosing one.</param>
/// <param name="TotalMs">Their total duration.</param>
public sealed record CallTreeEdge(string? ParentName, string? ParentComponent, string Name, string Component, long Count, double TotalMs);

/// <summary>Every operation's summary at one moment, with the call tree when it is enabled.</summary>
public sealed record PerformanceSummary
{
    /// <summary>When the summary was taken.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Every operation that has been registered, busiest (by total time) first.</summary>
    public required IReadOnlyList<OperationSummary> Operations { get; init; }

    /// <summary>Parent-to-child edges between operations; empty unless call trees are enabled.</summary>
    public required IReadOnlyList<CallTreeEdge> CallTree { get; init; }

    /// <summary>The summary of one operation, or null.</summary>
    public OperationSummary? this[string name, string component] =>
        Operations.FirstOrDefault(o => o.Name == name && o.Component == component);
}
