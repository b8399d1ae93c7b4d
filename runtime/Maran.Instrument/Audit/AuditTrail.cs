using System.Collections.Concurrent;
using System.Diagnostics;
using Maran.Instrument.Configuration;
using Maran.Instrument.Costs;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Errors;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Audit;

/// <summary>
/// The audit trail of <c>production.security.audit_all_operations</c>: start and stop, authentication failures,
/// dashboard writes, every monitored call and every model call's tokens and cost, as hash-chained JSON lines
/// (<see cref="AuditFile"/>). One background loop writes them from a bounded queue
/// (<c>production.security.audit_queue_capacity</c>, a <see cref="TrackerQueue{T}"/>): successful calls are taken from
/// the rings the hot path already fills (<see cref="CallRingReader"/>), by the calling thread each time its ring is
/// full and by the loop for what is left, failed calls come from the failure path, model calls from the cost
/// tracker's loop. A full ring is handed over as one item, a <see cref="CallBatch"/> of its raw slots, and its
/// records are built on the loop. Whatever the queue cannot take is written into the chain as a gap and counted in
/// <c>maran_dropped_total{queue="audit"}</c>.
/// </summary>
/// <remarks>
/// The trail holds the rings' hand-over from before its first moment to after its last look, so a call that ends in
/// between is taken by the fold that covers it before the ring can overwrite it. What is handed over while the queue
/// is not open yet (at the start) or no longer open (at the stop) is held and written by the next tick, or by the stop
/// itself once no hand-over is in flight.
/// </remarks>
/// <para>
/// Records never hold arguments, results, prompts or messages: names, outcomes, durations, trace ids, token counts.
/// A dashboard calls <see cref="RecordAuthenticationFailure"/> and <see cref="RecordDashboardWrite"/>; both return at
/// once and do nothing while the trail is off.
/// </para>
internal sealed class AuditTrail : IMonitoringService, IOperationListener, ICostListener, ICallRingListener, IDisposable
{
    /// <summary>The queue's name in <c>maran_dropped_total</c>.</summary>
    internal const string QueueName = "audit";

    /// <summary>How often the loop takes the calls of rings that are not full and hands what it wrote to the operating system.</summary>
    internal static readonly TimeSpan DrainInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How often the written records are synced to the disk at most while running; a stop always syncs.</summary>
    internal static readonly TimeSpan SyncInterval = TimeSpan.FromSeconds(1);

    private readonly MonitoringOptions _options;
    private readonly CostTracker _costs;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly CallRingReader _rings = new();
    private readonly TakenCalls _writeCalls;
    private readonly ConcurrentQueue<Entry> _held = new();
    private TrackerQueue<Entry>? _queue;
    private CallBatchPool? _batches;
    private AuditFile? _file;
    private DateTimeOffset _anchorTime;
    private long _anchorTimestamp;

    // Records the queue refused since the last gap line, and records the disk refused.
    private long _dropped;
    private long _unwritten;
    private long _syncedAt;
    private volatile bool _running;

    // The trail's first moment (stopwatch ticks): a call that ended before it is not the trail's to write.
    private long _from;

    // Whether this trail holds the rings' hand-over: then nothing a ring reports lapped ended after _from.
    private bool _ownsRings;

    // Entries held while the queue is not open, and the hand-overs and records being accepted right now.
    private int _heldCount;
    private int _accepting;
    private volatile bool _stopping;
    private volatile bool _closed = true;

    internal AuditTrail(MonitoringOptions options, CostTracker costs, TimeProvider time)
    {
        _options = options;
        _costs = costs;
        _time = time;
        _writeCalls = (recorder, calls, lost) => WriteCalls(_file!, recorder, calls, _ownsRings ? 0 : lost);
    }

    public string Name => "audit";

    private string FileKind => $"the audit trail in {Path.GetFullPath(_options.ProductionSecurity.AuditDirectory)}";

    /// <summary>Whether records are being written (the trail is on and the system runs).</summary>
    internal bool IsEnabled => _running;

    /// <summary>
    /// Records one failed authentication: the client's address, the route asked for (method and path, never the query,
    /// which may hold a token) and why it failed; never the credential presented.
    /// </summary>
    internal void RecordAuthenticationFailure(string? client, string route, string reason)
    {
        if (_running)
        {
            Accept(new AuditRecord(AuditRecordType.AuthenticationFailure, _time.GetUtcNow()) { Client = client, Route = route, Reason = reason });
        }
    }

    /// <summary>
    /// Records one change made through the dashboard: the token's name (never its secret), the route
    /// (<c>POST /api/alerts/silences</c>), what it changed (<c>silence alertname=HighCpu for 1h</c>), the HTTP status
    /// answered and the client's address.
    /// </summary>
    internal void RecordDashboardWrite(string token, string route, string? change, int status, string? client)
    {
        if (_running)
        {
            Accept(new AuditRecord(AuditRecordType.DashboardWrite, _time.GetUtcNow())
            {
                Token = token,
                Route = route,
                Change = change,
                Outcome = status.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Client = client,
            });
        }
    }

    /// <summary>Completes once everything accepted, and every call completed, before it was called is written and flushed.</summary>
    internal Task FlushAsync()
    {
        TrackerQueue<Entry>? queue = Volatile.Read(ref _queue);
        if (queue is null)
        {
            return Task.CompletedTask;
        }

        queue.RequestTick();
        return queue.WhenHandled();
    }

    public void Start()
    {
        ProductionSecuritySettings settings = _options.ProductionSecurity;
        if (!settings.AuditAllOperations)
        {
            return;
        }

        lock (_gate)
        {
            if (_queue is not null)
            {
                return;
            }

            var file = new AuditFile(settings.AuditDirectory, _time);
            try
            {
                file.Open();
                _anchorTime = _time.GetUtcNow();
                _anchorTimestamp = Stopwatch.GetTimestamp();
                IReadOnlyList<EffectiveSetting> effective = EffectiveConfiguration.Of(_options);
                file.Write(new AuditRecord(AuditRecordType.Start, _anchorTime)
                {
                    ConfigurationDigest = EffectiveConfiguration.Digest(_options),
                    Sources = EffectiveConfiguration.Sources(effective),
                });
                file.Flush(toDisk: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                file.Dispose();
                MonitoringDiagnostics.InternalError(FileKind, ex);
                return;
            }

            _file = file;
            _syncedAt = Stopwatch.GetTimestamp();
            // Calls waiting in batches are bounded as single records are: by the queue's capacity.
            _batches = new CallBatchPool(settings.AuditQueueCapacity / RecorderCell.RingSize);
            _stopping = false;
            Volatile.Write(ref _from, long.MinValue);
            _closed = false;

            // The hand-over and the failure path are connected before the first moment is taken: from then on every
            // call is the fold's or the loop's to take, and what they take before the queue is open is held.
            _ownsRings = OperationEvents.SetCallRingListener(this);
            OperationEvents.Subscribe(this);
            _costs.AddListener(this);
            if (_ownsRings)
            {
                _rings.Reset();
            }
            else
            {
                MonitoringDiagnostics.Warn("[maran] another monitoring system audits this process's calls: this one audits the calls its loop finds in the rings");
                _rings.Prime();
            }

            Volatile.Write(ref _from, Stopwatch.GetTimestamp());
            var queue = new TrackerQueue<Entry>(
                QueueName, settings.AuditQueueCapacity, _time, DrainInterval, static () => { }, WriteBatch, Tick);
            queue.Start();
            Volatile.Write(ref _queue, queue);
            _running = true;
            queue.RequestTick();
        }
    }

    public void Stop()
    {
        TrackerQueue<Entry> queue;
        AuditFile file;
        lock (_gate)
        {
            if (_queue is null)
            {
                return;
            }

            _running = false;
            queue = _queue;
            file = _file!;

            // From here on what is handed over is held, not queued: the queue is about to close. Its last tick takes
            // the calls still in the rings; the hand-over stays set until then, so the rings lose none before it.
            _stopping = true;
            bool finished = WaitForAccepting();
            finished &= queue.Stop(_options.Storage.StopTimeout);
            _closed = true;
            finished &= WaitForAccepting();
            OperationEvents.ClearCallRingListener(this);
            OperationEvents.Unsubscribe(this);
            _costs.RemoveListener(this);
            if (!finished)
            {
                MonitoringDiagnostics.Warn("[maran] the audit trail did not finish writing within storage.stop_timeout");
                return;
            }

            try
            {
                WriteHeld(file);
                WriteGaps(file);
                Write(file, new AuditRecord(AuditRecordType.Stop, _time.GetUtcNow()) { Count = file.Written + 1 });
                file.Flush(toDisk: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                MonitoringDiagnostics.InternalError(FileKind, ex);
            }
            finally
            {
                file.Dispose();
                _file = null;
                Volatile.Write(ref _queue, null);
            }
        }
    }

    public void Dispose() => Stop();

    // On the calling thread, while this trail holds the hand-over.
    void ICallRingListener.OnRingFull(RecorderCell cell)
    {
        Interlocked.Increment(ref _accepting);
        try
        {
            if (!_closed)
            {
                HandOver(cell);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _accepting);
        }
    }

    // The ring's raw slots are copied into a pooled batch and queued (or held) as one item; no record is built here.
    // With every batch waiting, or the queue full, the calls are still taken (so they are not lost to the next lap) and
    // counted as refused. What the ring reports lapped ended before the trail began (see _ownsRings).
    private void HandOver(RecorderCell cell)
    {
        CallBatchPool pool = Volatile.Read(ref _batches)!;
        if (pool.Rent() is not { } batch)
        {
            Span<RecentCallSlot> refused = stackalloc RecentCallSlot[RecorderCell.RingSize];
            int taken = CallRingReader.Claim(cell, refused, out _);
            Refuse(EndedSince(refused[..taken]), countedByQueue: 0);
            return;
        }

        int count = CallRingReader.Claim(cell, batch.Slots, out _);
        if (count == 0)
        {
            pool.Return(batch);
            return;
        }

        batch.Recorder = cell.Recorder;
        batch.Count = count;
        var entry = new Entry(default, batch);
        TrackerQueue<Entry>? queue = _stopping ? null : Volatile.Read(ref _queue);
        if (queue is null ? !Hold(entry) : !queue.TryAccept(entry))
        {
            Refuse(EndedSince(batch.Calls), countedByQueue: 1);
            pool.Return(batch);
        }
    }

    void IOperationListener.OnOperationFailed(in OperationFailure failure)
    {
        OperationRecorder recorder = failure.Recorder;
        Accept(new AuditRecord(AuditRecordType.Call, _time.GetUtcNow())
        {
            Kind = recorder.Kind.Label(),
            Operation = recorder.Name,
            Component = recorder.Component,
            Outcome = failure.Status == OperationStatus.Cancelled ? "cancelled" : "error",
            ErrorType = failure.Exception?.GetType().FullName,
            DurationMs = failure.ElapsedTicks >= 0 ? Milliseconds(failure.ElapsedTicks) : null,
            TraceId = failure.Activity is { } activity && activity.TraceId != default ? activity.TraceId.ToHexString() : null,
        });
    }

    void ICostListener.OnTokensPriced(DateTimeOffset at, in CostKey key, in TokenUsage usage, decimal? cost) =>
        Accept(new AuditRecord(AuditRecordType.Model, at)
        {
            Model = key.Subject,
            Operation = key.Operation.Length > 0 ? key.Operation : null,
            Component = key.Component,
            InputTokens = usage.InputTokens,
            OutputTokens = usage.OutputTokens,
            CostUsd = cost,
        });

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static long End(in RecentCallSlot call) => call.Timestamp + RecentCallSlot.Elapsed(call.Packed);

    // The calls among these that are the trail's: those that ended from its first moment on.
    private long EndedSince(ReadOnlySpan<RecentCallSlot> calls)
    {
        long from = Volatile.Read(ref _from);
        long count = 0;
        foreach (ref readonly RecentCallSlot call in calls)
        {
            count += End(call) >= from ? 1 : 0;
        }

        return count;
    }

    private AuditRecord CallRecord(OperationRecorder recorder, long start, long elapsed) =>
        new(AuditRecordType.Call, CallRingReader.WallTime(start + elapsed, _anchorTime, _anchorTimestamp))
        {
            Kind = recorder.Kind.Label(),
            Operation = recorder.Name,
            Component = recorder.Component,
            Outcome = "success",
            DurationMs = Milliseconds(elapsed),
        };

    // The records of one ring's calls that ended from the trail's first moment on, oldest first, then the gap of the
    // calls it lost.
    private void WriteCalls(AuditFile file, OperationRecorder recorder, ReadOnlySpan<RecentCallSlot> calls, long lost)
    {
        long from = Volatile.Read(ref _from);
        foreach (ref readonly RecentCallSlot call in calls)
        {
            if (End(call) >= from)
            {
                Write(file, CallRecord(recorder, call.Timestamp, RecentCallSlot.Elapsed(call.Packed)));
            }
        }

        if (lost > 0)
        {
            Write(file, LostRecord(recorder, lost));
        }
    }

    private AuditRecord LostRecord(OperationRecorder recorder, long lost)
    {
        MonitoringDiagnostics.Drop(QueueName, lost);
        return new AuditRecord(AuditRecordType.Gap, _time.GetUtcNow())
        {
            Operation = recorder.Name,
            Component = recorder.Component,
            Reason = "calls_overwritten",
            Count = lost,
        };
    }

    // A record the queue refuses (full) or the trail cannot hold is counted in the queue's drops and in the next gap
    // line; one that comes after the stop's last look, in the first gap line of the next start.
    private void Accept(in AuditRecord record)
    {
        Interlocked.Increment(ref _accepting);
        try
        {
            var entry = new Entry(record, null);
            TrackerQueue<Entry>? queue = _closed || _stopping ? null : Volatile.Read(ref _queue);
            if (queue is not null ? !queue.TryAccept(entry) : _closed || !Hold(entry))
            {
                Interlocked.Increment(ref _dropped);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _accepting);
        }
    }

    // Keeps an entry for the next tick (or the stop) while the queue is not open: as many as the queue would take,
    // and like the queue, counts one drop when full.
    private bool Hold(in Entry entry)
    {
        if (Interlocked.Increment(ref _heldCount) > _options.ProductionSecurity.AuditQueueCapacity)
        {
            Interlocked.Decrement(ref _heldCount);
            MonitoringDiagnostics.Drop(QueueName);
            return false;
        }

        _held.Enqueue(entry);
        return true;
    }

    // Waits until no hand-over or record that saw the trail's previous state is still being accepted; each one that
    // starts later sees the new state (the flag is written before the count is read, the count raised before the flag
    // is read).
    private bool WaitForAccepting()
    {
        Interlocked.MemoryBarrier();
        return SpinWait.SpinUntil(() => Volatile.Read(ref _accepting) == 0, _options.Storage.StopTimeout);
    }

    // Calls that could not be queued: each one is counted once in maran_dropped_total (the queue counted a refused
    // batch as one drop) and in the next gap line.
    private void Refuse(long calls, int countedByQueue)
    {
        if (calls <= 0)
        {
            return;
        }

        if (calls > countedByQueue)
        {
            MonitoringDiagnostics.Drop(QueueName, calls - countedByQueue);
        }

        Interlocked.Add(ref _dropped, calls);
    }

    private void WriteBatch(List<Entry> entries)
    {
        AuditFile file = _file!;
        foreach (Entry entry in entries)
        {
            WriteEntry(file, entry);
        }
    }

    private void WriteEntry(AuditFile file, in Entry entry)
    {
        if (entry.Calls is { } batch)
        {
            WriteCalls(file, batch.Recorder!, batch.Calls, lost: 0);
            _batches!.Return(batch);
        }
        else
        {
            Write(file, entry.Record);
        }
    }

    // The entries held while the queue was not open, in the order they were handed over.
    private void WriteHeld(AuditFile file)
    {
        while (_held.TryDequeue(out Entry entry))
        {
            Interlocked.Decrement(ref _heldCount);
            WriteEntry(file, entry);
        }
    }

    // The records refused since the last gap line, and those the disk refused once it takes writes again.
    private void WriteGaps(AuditFile file)
    {
        long dropped = Interlocked.Exchange(ref _dropped, 0);
        if (dropped > 0)
        {
            Write(file, new AuditRecord(AuditRecordType.Gap, _time.GetUtcNow()) { Reason = "queue_full", Count = dropped });
        }

        long unwritten = _unwritten;
        if (unwritten > 0 && Write(file, new AuditRecord(AuditRecordType.Gap, _time.GetUtcNow()) { Reason = "write_failed", Count = unwritten }))
        {
            _unwritten -= unwritten;
        }
    }

    // On the loop, every DrainInterval, at each flush and at the stop: what was held, the calls of rings that are not
    // full yet, the gaps since the last tick, and the hand-over to the operating system (and at most once a
    // SyncInterval, the disk).
    private void Tick()
    {
        AuditFile file = _file!;
        try
        {
            WriteHeld(file);
            _rings.Read(_writeCalls);
            WriteGaps(file);

            bool sync = Stopwatch.GetElapsedTime(_syncedAt) >= SyncInterval;
            file.Flush(toDisk: sync);
            if (sync)
            {
                _syncedAt = Stopwatch.GetTimestamp();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            MonitoringDiagnostics.InternalError(FileKind, ex);
        }
    }

    // A write the disk refuses (full, gone) is counted, reported once, and later written into the chain as a gap.
    private bool Write(AuditFile file, in AuditRecord record)
    {
        try
        {
            file.Write(record);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _unwritten++;
            MonitoringDiagnostics.Drop(QueueName);
            MonitoringDiagnostics.InternalError(FileKind, ex);
            return false;
        }
    }

    /// <summary>One item of the queue: a record, or a ring's calls whose records the loop builds.</summary>
    private readonly record struct Entry(AuditRecord Record, CallBatch? Calls);
}
