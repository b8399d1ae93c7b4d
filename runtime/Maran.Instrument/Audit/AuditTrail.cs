using System.Diagnostics;

namespace Maran.Instrument;

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
/// Records never hold arguments, results, prompts or messages: names, outcomes, durations, trace ids, token counts.
/// A dashboard calls <see cref="RecordAuthenticationFailure"/> and <see cref="RecordDashboardWrite"/>; both return at
/// once and do nothing while the trail is off.
/// </remarks>
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

    internal AuditTrail(MonitoringOptions options, CostTracker costs, TimeProvider time)
    {
        _options = options;
        _costs = costs;
        _time = time;
        _writeCalls = (recorder, calls, lost) => WriteCalls(_file!, recorder, calls, lost);
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
            _rings.Prime();
            _syncedAt = Stopwatch.GetTimestamp();
            // Calls waiting in batches are bounded as single records are: by the queue's capacity.
            _batches = new CallBatchPool(settings.AuditQueueCapacity / RecorderCell.RingSize);
            var queue = new TrackerQueue<Entry>(
                QueueName, settings.AuditQueueCapacity, _time, DrainInterval, static () => { }, WriteBatch, Tick);
            queue.Start();
            Volatile.Write(ref _queue, queue);
            _running = true;
            if (!OperationEvents.SetCallRingListener(this))
            {
                MonitoringDiagnostics.Warn("[maran] another monitoring system audits this process's calls: this one audits the calls its loop finds in the rings");
            }

            OperationEvents.Subscribe(this);
            _costs.AddListener(this);
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
            OperationEvents.Unsubscribe(this);
            OperationEvents.ClearCallRingListener(this);
            _costs.RemoveListener(this);
            queue = _queue;
            file = _file!;

            // The queue's last tick takes the calls still in the rings; everything accepted is written before it returns.
            if (!queue.Stop(_options.Storage.StopTimeout))
            {
                MonitoringDiagnostics.Warn("[maran] the audit trail did not finish writing within storage.stop_timeout");
                return;
            }

            try
            {
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

    // On the calling thread: the ring's raw slots are copied into a pooled batch and queued as one item; no record is
    // built here. With every batch waiting, or the queue full, the calls are still taken (so they are not lost to the
    // next lap) and counted as refused.
    void ICallRingListener.OnRingFull(RecorderCell cell)
    {
        CallBatchPool? pool = Volatile.Read(ref _batches);
        if (pool?.Rent() is not { } batch)
        {
            Span<RecentCallSlot> refused = stackalloc RecentCallSlot[RecorderCell.RingSize];
            int taken = CallRingReader.Claim(cell, refused, out long lapped);
            Refuse(taken + lapped, countedByQueue: 0);
            return;
        }

        int count = CallRingReader.Claim(cell, batch.Slots, out long lost);
        if (count == 0 && lost == 0)
        {
            pool.Return(batch);
            return;
        }

        batch.Recorder = cell.Recorder;
        batch.Count = count;
        batch.Lost = lost;
        TrackerQueue<Entry>? queue = Volatile.Read(ref _queue);
        if (queue is null || !queue.TryAccept(new Entry(default, batch)))
        {
            Refuse(count + lost, countedByQueue: queue is null ? 0 : 1);
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

    private AuditRecord CallRecord(OperationRecorder recorder, long start, long elapsed) =>
        new(AuditRecordType.Call, CallRingReader.WallTime(start + elapsed, _anchorTime, _anchorTimestamp))
        {
            Kind = recorder.Kind.Label(),
            Operation = recorder.Name,
            Component = recorder.Component,
            Outcome = "success",
            DurationMs = Milliseconds(elapsed),
        };

    // The records of one ring's calls, oldest first, then the gap of the calls it lost.
    private void WriteCalls(AuditFile file, OperationRecorder recorder, ReadOnlySpan<RecentCallSlot> calls, long lost)
    {
        foreach (ref readonly RecentCallSlot call in calls)
        {
            Write(file, CallRecord(recorder, call.Timestamp, RecentCallSlot.Elapsed(call.Packed)));
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

    // A record the queue refuses (full, or stopping) is counted in the queue's drops and in the next gap line.
    private void Accept(in AuditRecord record)
    {
        TrackerQueue<Entry>? queue = Volatile.Read(ref _queue);
        if (queue is null || !queue.TryAccept(new Entry(record, null)))
        {
            Interlocked.Increment(ref _dropped);
        }
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
            if (entry.Calls is { } batch)
            {
                WriteCalls(file, batch.Recorder!, batch.Calls, batch.Lost);
                _batches!.Return(batch);
            }
            else
            {
                Write(file, entry.Record);
            }
        }
    }

    // On the loop, every DrainInterval, at each flush and at the stop: the calls of rings that are not full yet, the
    // gaps since the last tick, and the hand-over to the operating system (and at most once a SyncInterval, the disk).
    private void Tick()
    {
        AuditFile file = _file!;
        try
        {
            _rings.Read(_writeCalls);
            long dropped = Interlocked.Exchange(ref _dropped, 0);
            if (dropped > 0)
            {
                Write(file, new AuditRecord(AuditRecordType.Gap, _time.GetUtcNow()) { Reason = "queue_full", Count = dropped });
            }

            // Records the disk refused are a gap of their own once it takes writes again.
            long unwritten = _unwritten;
            if (unwritten > 0 && Write(file, new AuditRecord(AuditRecordType.Gap, _time.GetUtcNow()) { Reason = "write_failed", Count = unwritten }))
            {
                _unwritten -= unwritten;
            }

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
