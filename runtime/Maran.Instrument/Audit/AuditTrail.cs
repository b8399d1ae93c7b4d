using System.Diagnostics;
using System.Threading.Channels;

namespace Maran.Instrument;

/// <summary>
/// The audit trail of <c>production.security.audit_all_operations</c>: start and stop, authentication failures,
/// dashboard writes, every monitored call and every model call's tokens and cost, as hash-chained JSON lines
/// (<see cref="AuditFile"/>). One background loop writes them: successful calls are read from the rings the hot path
/// already fills (<see cref="CallRingReader"/>), failed calls come from the failure path, model calls from the cost
/// tracker's loop, and the rest through a bounded queue (<c>production.security.audit_queue_capacity</c>). Whatever cannot be kept is written into the chain as a gap
/// and counted in <c>maran_dropped_total{queue="audit"}</c>.
/// </summary>
/// <remarks>
/// Records never hold arguments, results, prompts or messages: names, outcomes, durations, trace ids, token counts.
/// A dashboard calls <see cref="RecordAuthenticationFailure"/> and <see cref="RecordDashboardWrite"/>; both return at
/// once and do nothing while the trail is off.
/// </remarks>
internal sealed class AuditTrail : IMonitoringService, IOperationListener, ICostListener, IDisposable
{
    /// <summary>The queue's name in <c>maran_dropped_total</c>.</summary>
    internal const string QueueName = "audit";

    /// <summary>How often the loop reads the rings and writes what waits, while the rings fill slowly.</summary>
    internal static readonly TimeSpan DrainInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How often the written records are synced to the disk at most while running; a stop always syncs.</summary>
    internal static readonly TimeSpan SyncInterval = TimeSpan.FromSeconds(1);

    /// <summary>The shortest wait between two reads, for the busiest operations.</summary>
    internal static readonly TimeSpan BusyDrainInterval = TimeSpan.FromMilliseconds(1);

    private readonly MonitoringOptions _options;
    private readonly CostTracker _costs;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly CallRingReader _rings = new();
    private readonly List<TaskCompletionSource> _waiters = [];
    private readonly SemaphoreSlim _wake = new(0);
    private Channel<AuditRecord> _queue;
    private Thread? _loop;
    private CancellationTokenSource? _stopping;
    private DateTimeOffset _anchorTime;
    private long _anchorTimestamp;
    private long _dropped;
    private long _unwritten;
    private long _syncedAt;
    private volatile bool _running;

    internal AuditTrail(MonitoringOptions options, CostTracker costs, TimeProvider time)
    {
        _options = options;
        _costs = costs;
        _time = time;
        _queue = CreateQueue();
    }

    public string Name => "audit";

    private string FileKind => $"the audit trail in {Path.GetFullPath(_options.ProductionSecurity.AuditDirectory)}";

    /// <summary>Whether records are being written (the trail is on and the system runs).</summary>
    internal bool IsEnabled => _running;

    /// <summary>Records one failed authentication: the client's address and why it failed (never the credential).</summary>
    internal void RecordAuthenticationFailure(string client, string reason)
    {
        if (_running)
        {
            Accept(new AuditRecord(AuditRecordType.AuthenticationFailure, _time.GetUtcNow()) { Client = client, Reason = reason });
        }
    }

    /// <summary>
    /// Records one change made through the dashboard: the token's name (never its secret), what was done
    /// (<c>POST /api/alerts/{id}/silence</c>), the HTTP status answered and the client's address.
    /// </summary>
    internal void RecordDashboardWrite(string token, string action, int status, string? client = null)
    {
        if (_running)
        {
            Accept(new AuditRecord(AuditRecordType.DashboardWrite, _time.GetUtcNow())
            {
                Token = token,
                Action = action,
                Outcome = status.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Client = client,
            });
        }
    }

    /// <summary>Completes once everything accepted, and every call completed, before it was called is written and flushed.</summary>
    internal Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_loop is null)
            {
                return Task.CompletedTask;
            }

            _waiters.Add(done);
        }

        _wake.Release();
        return done.Task;
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
            if (_loop is not null)
            {
                return;
            }

            var file = new AuditFile(settings.AuditDirectory, _time);
            try
            {
                file.Open();
                _anchorTime = _time.GetUtcNow();
                _anchorTimestamp = Stopwatch.GetTimestamp();
                _rings.Prime();
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

            _queue = CreateQueue();
            _stopping = new CancellationTokenSource();
            _running = true;
            OperationEvents.Subscribe(this);
            _costs.AddListener(this);
            CancellationToken token = _stopping.Token;
            // A thread of its own: the rings must be read on time even when the thread pool is saturated.
            _loop = new Thread(() => Run(file, token)) { IsBackground = true, Name = "maran-audit" };
            _loop.Start();
        }
    }

    public void Stop()
    {
        Thread? loop;
        lock (_gate)
        {
            if (_loop is null)
            {
                return;
            }

            _running = false;
            OperationEvents.Unsubscribe(this);
            _costs.RemoveListener(this);
            _queue.Writer.TryComplete();
            _stopping!.Cancel();
            loop = _loop;
        }

        if (!loop.Join(_options.Storage.StopTimeout))
        {
            MonitoringDiagnostics.Warn("[maran] the audit trail did not finish writing within storage.stop_timeout");
        }

        lock (_gate)
        {
            _loop = null;
            _stopping!.Dispose();
            _stopping = null;
        }
    }

    public void Dispose()
    {
        Stop();
        _wake.Dispose();
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

    private Channel<AuditRecord> CreateQueue() => Channel.CreateBounded<AuditRecord>(new BoundedChannelOptions(Math.Max(1, _options.ProductionSecurity.AuditQueueCapacity))
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    private void Accept(in AuditRecord record)
    {
        if (!Volatile.Read(ref _queue).Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _dropped);
            MonitoringDiagnostics.Drop(QueueName);
        }
    }

    private void Run(AuditFile file, CancellationToken stopping)
    {
        try
        {
            TimeSpan wait = DrainInterval;
            long previous = Stopwatch.GetTimestamp();
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    _wake.Wait(wait, stopping);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                long now = Stopwatch.GetTimestamp();
                wait = NextWait(Drain(file), Stopwatch.GetElapsedTime(previous, now));
                previous = now;
            }

            // What was accepted before the stop, and every call completed before it, is written before the stop record.
            _ = Drain(file);
            Write(file, new AuditRecord(AuditRecordType.Stop, _time.GetUtcNow()) { Count = file.Written + 1 });
            file.Flush(toDisk: true);
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("the audit trail", ex);
        }
        finally
        {
            file.Dispose();
            ReleaseWaiters();
        }
    }

    /// <summary>
    /// The wait before the next read: long enough that the fullest ring, at the rate it filled since the last read,
    /// reaches an eighth of its size, so a read that comes up to eight times late still finds every call; between <see cref="BusyDrainInterval"/> and <see cref="DrainInterval"/>.
    /// </summary>
    internal static TimeSpan NextWait(int fullest, TimeSpan since)
    {
        if (fullest <= 0)
        {
            return DrainInterval;
        }

        TimeSpan target = since * (RecorderCell.RingSize / 8.0 / fullest);
        return target < BusyDrainInterval ? BusyDrainInterval : target > DrainInterval ? DrainInterval : target;
    }

    // Returns the most calls one ring held since the previous drain.
    private int Drain(AuditFile file)
    {
        int fullest = 0;
        List<TaskCompletionSource> waiting;
        lock (_gate)
        {
            waiting = [.. _waiters];
            _waiters.Clear();
        }

        try
        {
            fullest = _rings.Read(
                (recorder, start, elapsed) => Write(file, new AuditRecord(AuditRecordType.Call, CallRingReader.WallTime(start + elapsed, _anchorTime, _anchorTimestamp))
                {
                    Kind = recorder.Kind.Label(),
                    Operation = recorder.Name,
                    Component = recorder.Component,
                    Outcome = "success",
                    DurationMs = Milliseconds(elapsed),
                }),
                (recorder, lost) =>
                {
                    MonitoringDiagnostics.Drop(QueueName, lost);
                    Write(file, new AuditRecord(AuditRecordType.Gap, _time.GetUtcNow())
                    {
                        Operation = recorder.Name,
                        Component = recorder.Component,
                        Reason = "calls_faster_than_drain",
                        Count = lost,
                    });
                });

            while (_queue.Reader.TryRead(out AuditRecord record))
            {
                Write(file, record);
            }

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

            // A sync can take milliseconds on a busy disk: the rings are read far more often than the disk is synced.
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
        finally
        {
            foreach (TaskCompletionSource done in waiting)
            {
                done.TrySetResult();
            }
        }

        return fullest;
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

    private void ReleaseWaiters()
    {
        lock (_gate)
        {
            foreach (TaskCompletionSource done in _waiters)
            {
                done.TrySetResult();
            }

            _waiters.Clear();
        }
    }
}
