using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Maran.Instrument.Profiling;

/// <summary>
/// The tallies of one monitored operation: exact call, error and cancellation counts, a duration histogram,
/// allocation samples and a ring of recent calls. One instance per (component, name), created once and kept in a
/// static field of the generated code; the hot path reaches it without lookup.
/// </summary>
/// <remarks>
/// Each thread writes its own <see cref="RecorderCell"/> with plain stores; <see cref="Snapshot"/> sums them.
/// Cells of threads that have ended are folded into one retired cell, so memory follows the live threads.
/// </remarks>
public sealed class OperationRecorder
{
    [ThreadStatic]
    private static RecorderCell?[]? t_cells;

    private readonly object _gate = new();
    private RecorderCell? _retired;
    private static readonly IReadOnlyDictionary<string, long> s_noErrorTypes = new Dictionary<string, long>(StringComparer.Ordinal);
    private Dictionary<string, long>? _errorTypes;
    private Dictionary<string, long>? _raisedErrorTypes;
    private RecorderCell[] _cells = [];
    private long[]? _spilled;
    private long[]? _errorBuckets;
    private long[]? _cancelledBuckets;
    private KeyValuePair<string, object?>[]? _spanTags;
    private long _firstUseTimestamp;
    private long _streams;
    private long _streamItems;
    private long _firstItems;
    private long _firstItemTicks;

    internal OperationRecorder(int id, string name, string component, string? method, string? model, string? provider = null, string? genAIOperation = null)
    {
        Id = id;
        Name = name;
        Component = component;
        Method = method;
        Model = model;
        Provider = provider;
        GenAIOperation = genAIOperation;
    }

    /// <summary>Index of this recorder in the registry; also its slot in each thread's cell table.</summary>
    internal int Id { get; }

    /// <summary>The operation's name, from <see cref="MonitorOperationAttribute.Name"/>.</summary>
    public string Name { get; }

    /// <summary>The operation's component, from <see cref="MonitorOperationAttribute.Component"/>.</summary>
    public string Component { get; }

    /// <summary>
    /// The attributes the span of a call of this operation starts with (<c>maran.operation</c>, <c>maran.component</c>), when
    /// it is not a model operation: built once, handed to the span at its creation.
    /// </summary>
    internal KeyValuePair<string, object?>[] SpanTags => _spanTags ??= [new("maran.operation", Name), new("maran.component", Component)];

    /// <summary>The monitored method, as the generator saw it (for example <c>Agent.GenerateAsync(string)</c>), or null when created by name.</summary>
    public string? Method { get; }

    /// <summary>The model named by <see cref="MonitorOperationAttribute.Model"/>, if any.</summary>
    public string? Model { get; }

    /// <summary>The model provider named by <see cref="MonitorOperationAttribute.Provider"/> (<c>gen_ai.provider.name</c>), if any.</summary>
    public string? Provider { get; }

    /// <summary>The GenAI operation named by <see cref="MonitorOperationAttribute.GenAIOperation"/> (<c>gen_ai.operation.name</c>), if any.</summary>
    public string? GenAIOperation { get; }

    /// <summary>Whether this records an operation of the application or a model, tool or agent call the generator found.</summary>
    public OperationKind Kind { get; internal set; }

    /// <summary>Starts timing one call of this operation. Same as <see cref="OperationScope.Start(OperationRecorder)"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public OperationScope Start() => OperationScope.Start(this);

    /// <summary>The live threads' cells; a cell whose thread ended leaves the array at the next <see cref="Snapshot"/>.</summary>
    internal RecorderCell[] Cells => Volatile.Read(ref _cells);

    /// <summary>Whether the operation has been called at least once, on any thread.</summary>
    internal bool IsUsed => Volatile.Read(ref _firstUseTimestamp) != 0;

    /// <summary>The calling thread's cell, created on the thread's first call of this operation.</summary>
    internal RecorderCell ThreadCell
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            RecorderCell?[]? cells = t_cells;
            int id = Id;
            if (cells is not null && (uint)id < (uint)cells.Length)
            {
                RecorderCell? cell = cells[id];
                if (cell is not null)
                {
                    return cell;
                }
            }

            return CreateThreadCell();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private RecorderCell CreateThreadCell()
    {
        RecorderCell?[]? cells = t_cells;
        if (cells is null || cells.Length <= Id)
        {
            int size = Math.Max(Math.Max(Id + 1, OperationRegistry.Count), cells?.Length * 2 ?? 16);
            Array.Resize(ref cells, size);
            t_cells = cells;
        }

        var cell = new RecorderCell(this, Thread.CurrentThread);
        lock (_gate)
        {
            _cells = [.. _cells, cell];
            if (_firstUseTimestamp == 0)
            {
                _firstUseTimestamp = Stopwatch.GetTimestamp();
            }
        }

        cells[Id] = cell;
        return cell;
    }

    /// <summary>Moves one spilled block of <paramref name="bucket"/>'s count from a cell into the shared tally.</summary>
    internal void Spill(int bucket)
    {
        long[] spilled = _spilled ?? EnsureArray(ref _spilled);
        Interlocked.Add(ref spilled[bucket], RecorderCell.SpillThreshold);
    }

    /// <summary>Records the duration bucket of a failed or cancelled call, so exporters can split durations by status.</summary>
    internal void RecordFailureBucket(OperationStatus status, long elapsed)
    {
        ref long[]? target = ref status == OperationStatus.Cancelled ? ref _cancelledBuckets : ref _errorBuckets;
        long[] buckets = target ?? EnsureArray(ref target);
        Interlocked.Increment(ref buckets[DurationHistogram.BucketOf(elapsed)]);
    }

    /// <summary>
    /// Counts an exception type seen on the failure path; <paramref name="raisedHere"/> when this operation is where
    /// the failure was first recorded (not an enclosing call it passed through).
    /// </summary>
    internal void CountErrorType(string type, bool raisedHere = true)
    {
        lock (_gate)
        {
            _errorTypes ??= new Dictionary<string, long>(StringComparer.Ordinal);
            _errorTypes[type] = _errorTypes.GetValueOrDefault(type) + 1;
            if (raisedHere)
            {
                _raisedErrorTypes ??= new Dictionary<string, long>(StringComparer.Ordinal);
                _raisedErrorTypes[type] = _raisedErrorTypes.GetValueOrDefault(type) + 1;
            }
        }
    }

    /// <summary>Records the end of one stream: how many items it produced and how long its first item took.</summary>
    internal void RecordStream(long items, long firstItemTicks)
    {
        Interlocked.Increment(ref _streams);
        Interlocked.Add(ref _streamItems, items);
        if (firstItemTicks >= 0)
        {
            Interlocked.Increment(ref _firstItems);
            Interlocked.Add(ref _firstItemTicks, firstItemTicks);
        }
    }

    private static long[] EnsureArray(ref long[]? field)
    {
        Interlocked.CompareExchange(ref field, new long[DurationHistogram.BucketCount], null);
        return field!;
    }

    /// <summary>Calls started so far, on every thread: what <see cref="Snapshot"/> reports as started, without its histogram and ring.</summary>
    internal long StartedCount() => Counts().Started;

    /// <summary>Calls ended so far (succeeded, failed or cancelled): what <see cref="Snapshot"/> reports as its count, without its histogram and ring.</summary>
    internal long CompletedCount() => Counts().Completed;

    private (long Started, long Completed) Counts()
    {
        if (!IsUsed)
        {
            return default;
        }

        lock (_gate)
        {
            long started = 0, completed = 0;
            if (_retired is { } retired)
            {
                started = retired.Started;
                completed = retired.Succeeded + retired.Failed + retired.Cancelled;
            }

            foreach (RecorderCell cell in _cells)
            {
                started += Volatile.Read(ref cell.Started);
                completed += Volatile.Read(ref cell.Succeeded) + Volatile.Read(ref cell.Failed) + Volatile.Read(ref cell.Cancelled);
            }

            return (started, completed);
        }
    }

    /// <summary>Sums every thread's cell into one consistent-enough picture of this operation.</summary>
    internal OperationSnapshot Snapshot()
    {
        var buckets = new long[DurationHistogram.BucketCount];
        var recent = new List<RecentCall>();
        IReadOnlyDictionary<string, long> errorTypes, raisedErrorTypes;
        long started, succeeded, failed, cancelled, timed, total, max, allocSamples, allocBytes, cpuSamples, cpuNanos;
        long firstUse;

        lock (_gate)
        {
            RetireEndedThreads();
            started = succeeded = failed = cancelled = timed = total = max = allocSamples = allocBytes = cpuSamples = cpuNanos = 0;
            if (_retired is { } retired)
            {
                started = retired.Started;
                succeeded = retired.Succeeded;
                failed = retired.Failed;
                cancelled = retired.Cancelled;
                timed = retired.Timed;
                total = retired.TotalTicks;
                max = retired.ReadHistogram(buckets);
                allocSamples = retired.AllocationSamples;
                allocBytes = retired.AllocatedBytes;
                cpuSamples = retired.CpuSamples;
                cpuNanos = retired.CpuNanoseconds;
                ReadRing(retired, recent);
            }
            foreach (RecorderCell cell in _cells)
            {
                started += Volatile.Read(ref cell.Started);
                succeeded += Volatile.Read(ref cell.Succeeded);
                failed += Volatile.Read(ref cell.Failed);
                cancelled += Volatile.Read(ref cell.Cancelled);
                timed += Volatile.Read(ref cell.Timed);
                total += Volatile.Read(ref cell.TotalTicks);
                max = Math.Max(max, cell.ReadHistogram(buckets));
                allocSamples += Volatile.Read(ref cell.AllocationSamples);
                allocBytes += Volatile.Read(ref cell.AllocatedBytes);
                cpuSamples += Volatile.Read(ref cell.CpuSamples);
                cpuNanos += Volatile.Read(ref cell.CpuNanoseconds);
                ReadRing(cell, recent);
            }

            errorTypes = _errorTypes is null ? s_noErrorTypes : new Dictionary<string, long>(_errorTypes, StringComparer.Ordinal);
            raisedErrorTypes = _raisedErrorTypes is null ? s_noErrorTypes : new Dictionary<string, long>(_raisedErrorTypes, StringComparer.Ordinal);
            firstUse = _firstUseTimestamp;
        }

        if (_spilled is { } spilled)
        {
            for (int i = 0; i < buckets.Length; i++)
            {
                buckets[i] += Volatile.Read(ref spilled[i]);
            }
        }

        recent.Sort(static (a, b) => a.StartTimestamp.CompareTo(b.StartTimestamp));
        return new OperationSnapshot(
            this,
            started,
            succeeded,
            failed,
            cancelled,
            timed,
            total,
            max,
            allocSamples,
            allocBytes,
            cpuSamples,
            cpuNanos,
            buckets,
            CopyBuckets(_errorBuckets),
            CopyBuckets(_cancelledBuckets),
            recent,
            errorTypes,
            raisedErrorTypes,
            Volatile.Read(ref _streams),
            Volatile.Read(ref _streamItems),
            Volatile.Read(ref _firstItems),
            Volatile.Read(ref _firstItemTicks),
            firstUse);
    }

    private void RetireEndedThreads()
    {
        RecorderCell[] cells = _cells;
        List<RecorderCell>? alive = null;
        for (int i = 0; i < cells.Length; i++)
        {
            RecorderCell cell = cells[i];
            if (cell.Owner is { IsAlive: false })
            {
                Interlocked.MemoryBarrier();
                alive ??= [.. cells.AsSpan(0, i)];
                RecorderCell retired = _retired ??= new RecorderCell(this, owner: null);

                // The calls the ended thread left in its ring are taken before the cell is dropped from the cells.
                if (OperationEvents.CallRingListener is { } listener)
                {
                    OperationEvents.RingFull(listener, cell);
                }

                retired.Absorb(cell);
                MoveRingToRetired(cell, retired);
            }
            else
            {
                alive?.Add(cell);
            }
        }

        if (alive is not null)
        {
            _cells = [.. alive];
        }
    }

    // An ended thread's most recent calls move to the retired cell's ring, so they stay visible.
    private static void MoveRingToRetired(RecorderCell cell, RecorderCell retired)
    {
        var calls = new List<RecentCall>(RecorderCell.RingSize);
        ReadRing(cell, calls);
        calls.Sort(static (a, b) => a.StartTimestamp.CompareTo(b.StartTimestamp));
        foreach (RecentCall call in calls)
        {
            retired.AddRecent(call.StartTimestamp, call.ElapsedTicks, call.Status);
        }
    }

    private static void ReadRing(RecorderCell cell, List<RecentCall> into)
    {
        RecentCallSlot[] ring = cell.Ring;
        for (int i = 0; i < ring.Length; i++)
        {
            ref RecentCallSlot slot = ref ring[i];
            long packed = Volatile.Read(ref slot.Packed);
            long timestamp = Volatile.Read(ref slot.Timestamp);
            if (packed != 0 && packed == Volatile.Read(ref slot.Packed))
            {
                into.Add(new RecentCall(timestamp, RecentCallSlot.Elapsed(packed), RecentCallSlot.Status(packed)));
            }
        }
    }

    private static long[]? CopyBuckets(long[]? source)
    {
        if (source is null)
        {
            return null;
        }

        var copy = new long[source.Length];
        for (int i = 0; i < source.Length; i++)
        {
            copy[i] = Volatile.Read(ref source[i]);
        }

        return copy;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Component}/{Name}";
}
