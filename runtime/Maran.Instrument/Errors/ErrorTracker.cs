using System.Diagnostics;
using Maran.Instrument.Configuration;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Errors;

/// <summary>
/// Tracks errors: every exception that escapes a monitored call (from the interceptors, while the system runs) and
/// those reported with <see cref="TrackError(string, ErrorSeverity, string, string, Exception?, IReadOnlyDictionary{string, string}?)"/>.
/// Each is categorised for AI agents, grouped by fingerprint, counted per hour and stored in SQLite;
/// <see cref="GetErrorAnalytics"/> answers from memory, rebuilt from the database at start.
/// </summary>
/// <remarks>
/// Counts are exact: every error is counted once in <c>errors_total</c>, by the background loop when the queue takes it,
/// else (the queue is full) by the failure path itself, which then categorises it; what a full queue drops is the detail
/// (stack, message, group), counted in <c>maran_dropped_total</c>. A read counts what the loop has handled: call
/// <see cref="Flush"/> first to include the failures just made.
/// One failure is one error: an exception already recorded (by an inner monitored call, by
/// <see cref="TrackError(string, ErrorSeverity, string, string, Exception?, IReadOnlyDictionary{string, string}?)"/>, or
/// wrapped by the exception at hand) counts only toward the error rate of each operation it passed through.
/// A monitored call's failure path hands the loop the exception and the time, context and span of the failure, nothing
/// more; the loop categorises, fingerprints and formats. An exception's stack keeps growing as it propagates, so the
/// loop cuts what it reads back to the stack at the monitored call (<see cref="InterceptedTrace"/>): the same bug shows
/// the same stack however far it travelled. Where the stack could not be cut later (a faulted task, whose awaits append
/// to it; a stream; an error tracked by hand) the failure path takes the frames, without file information.
/// The tracker takes failures in and runs the lifecycle; <see cref="ErrorLoop"/> handles them, <see cref="ErrorQueries"/>
/// reads what it kept (<see cref="ErrorHistory"/>), and <see cref="ErrorCounts"/> keeps <c>errors_total</c>.
/// </remarks>
public sealed class ErrorTracker : IOperationListener, IMonitoringService
{
    private static readonly TimeSpan TickEvery = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ReadYourWrites = TimeSpan.FromSeconds(5);

    private readonly MonitoringOptions _options;
    private readonly IErrorPersistence _store;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly ErrorHistory _history;
    private readonly ErrorCounts _counts = new();
    private readonly ErrorLoop _loop;
    private readonly ErrorQueries _queries;
    private readonly TrackerQueue<ErrorCapture> _queue;
    private bool _running;
    private bool _started;

    internal ErrorTracker(MonitoringOptions options, IErrorPersistence store, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _store = store;
        _history = new ErrorHistory(_time);
        _loop = new ErrorLoop(options, store, _time, _history, _counts);
        _queries = new ErrorQueries(options, store, _time, _history);
        _queue = new TrackerQueue<ErrorCapture>("errors", options.Errors.QueueCapacity, _time, TickEvery, _loop.LoadHistory, _loop.Handle, _loop.Tick);
    }

    string IMonitoringService.Name => "errors";

    /// <summary>Whether the tracker has been started: from then on its counts are the exported errors.</summary>
    internal bool HasStarted => Volatile.Read(ref _started);

    private ErrorSettings Settings => _options.Errors;

    /// <summary>
    /// Records an error reported by the program. <paramref name="type"/> names the kind of error (an exception type
    /// or a name of your own); the exception, when given, supplies the stack and inner exceptions.
    /// </summary>
    /// <param name="type">The error type, for example <c>ValidationError</c>.</param>
    /// <param name="severity">How bad it is.</param>
    /// <param name="component">The component that reports it.</param>
    /// <param name="message">What happened.</param>
    /// <param name="exception">The exception behind it, if any.</param>
    /// <param name="context">Tags to keep with it; merged with the ambient <see cref="ErrorContext"/>.</param>
    /// <remarks>An exception a monitored call has already recorded (or one wrapping it) is the same failure and is not counted again.</remarks>
    public void TrackError(string type, ErrorSeverity severity, string component, string message, Exception? exception = null, IReadOnlyDictionary<string, string>? context = null)
    {
        if (!Settings.Enabled)
        {
            return;
        }

        try
        {
            if (exception is not null && !RecordedFailures.TryRecordReported(exception))
            {
                return;
            }

            component = string.IsNullOrEmpty(component) ? "app" : component;
            type = string.IsNullOrEmpty(type) ? exception?.GetType().FullName ?? "Error" : type;
            message ??= exception?.Message ?? string.Empty;
            ErrorCategory category = ErrorCategorizer.Categorize(exception, type, message);
            _counts.Count(type, category, component, severity);
            if (!_queue.HasRoom())
            {
                return;
            }

            _queue.TryAccept(new ErrorCapture
            {
                Timestamp = _time.GetUtcNow(),
                Type = type,
                Category = category,
                Severity = severity,
                Component = component,
                Message = message,
                Exception = exception,
                Trace = exception is null ? null : new StackTrace(exception, fNeedFileInfo: false),
                ElapsedTicks = -1,
                Ambient = ErrorContext.Current,
                Context = context,
                Activity = Activity.Current,
            });
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("error tracking", ex);
        }
    }

    /// <summary>Records <paramref name="exception"/> under its own type and message.</summary>
    public void TrackError(Exception exception, ErrorSeverity severity = ErrorSeverity.Error, string component = "app", IReadOnlyDictionary<string, string>? context = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        TrackError(exception.GetType().FullName ?? exception.GetType().Name, severity, component, exception.Message, exception, context);
    }

    /// <summary>
    /// Errors of the last <paramref name="hours"/> clock hours (the current one included): totals by type, category,
    /// component and severity, the hourly trend, the top groups and the error rate of each monitored operation.
    /// A pure read that answers at once from what the background loop has handled; a caller that needs the errors it
    /// just tracked calls <see cref="Flush"/> or <see cref="FlushAsync"/> first.
    /// </summary>
    public ErrorAnalytics GetErrorAnalytics(int hours = 24) => _queries.Analytics(hours);

    /// <summary>
    /// Every error tracked since this tracker was created, by type, category, component and severity: what the
    /// exporters publish as <c>errors_total</c>. Answers at once with what the loop has counted; errors still queued
    /// are counted as it takes them (<see cref="Flush"/> waits for that).
    /// </summary>
    internal IReadOnlyList<ErrorCount> GetErrorCounts() => _counts.Read();

    /// <summary>The group of <paramref name="fingerprint"/>, or null when there is none; a pure read, as <see cref="GetErrorAnalytics"/> is.</summary>
    public ErrorGroup? GetGroup(string fingerprint) => _queries.Group(fingerprint);

    /// <summary>
    /// Every group kept (at most <c>errors.max_groups</c>, plus the overflow group), each with its occurrences in the
    /// last <paramref name="hours"/> clock hours, in no particular order: what the dashboard pages through. Answers at
    /// once, without waiting for errors still queued.
    /// </summary>
    internal IReadOnlyList<ErrorGroup> GetGroups(int hours) => _queries.Groups(hours);

    /// <summary>
    /// The latest errors, newest first, optionally of one group: from the database, or from memory when it cannot be read.
    /// A pure read of what is written; call <see cref="Flush"/> first for the errors just tracked.
    /// </summary>
    public IReadOnlyList<TrackedError> GetRecentErrors(int limit = 50, string? fingerprint = null) => _queries.Recent(limit, fingerprint);

    /// <summary>Marks a group resolved; an occurrence after this makes it <see cref="ErrorGroupStatus.Regressed"/>. False when there is no such group.</summary>
    public bool ResolveGroup(string fingerprint)
    {
        _queue.WaitHandled(ReadYourWrites);
        return _loop.Resolve(fingerprint);
    }

    /// <summary>
    /// Completes when every error tracked before the call has been grouped and written to the database (or the database
    /// gave up), and the monitored calls made before it are counted for the error rates: read-your-writes for the reads,
    /// which never wait.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _queue.WhenHandled().WaitAsync(cancellationToken).ConfigureAwait(false);
        await _store.FlushAsync(cancellationToken).ConfigureAwait(false);
        _loop.SampleCalls();
    }

    /// <summary>Waits, at most <paramref name="timeout"/> (5 s when null), for what <see cref="FlushAsync"/> completes on; false when the time ran out first.</summary>
    public bool Flush(TimeSpan? timeout = null) => TrackerFlush.Wait(FlushAsync(), timeout ?? ReadYourWrites, "error tracker");

    // The failure path of a monitored call: counts a failure already recorded, else hands the exception and the few
    // values only this thread knows (time, ambient context, span) to the loop, which reads, categorizes and counts it.
    // Only when the queue is full does this thread categorize, to keep errors_total exact while the detail is dropped.
    void IOperationListener.OnOperationFailed(in OperationFailure failure)
    {
        if (!Settings.Enabled)
        {
            return;
        }

        if (failure.IsRecorded)
        {
            if (failure.Status == OperationStatus.Error)
            {
                _history.CountPassedThrough(failure.Recorder);
            }

            return;
        }

        Exception? exception = failure.Exception;
        var capture = new ErrorCapture
        {
            Timestamp = _time.GetUtcNow(),
            Recorder = failure.Recorder,
            Status = failure.Status,
            Component = failure.Recorder.Component,
            Operation = failure.Recorder.Name,
            Exception = exception,
            Trace = exception is null || failure.Propagating ? null : new StackTrace(exception, fNeedFileInfo: false),
            ElapsedTicks = failure.ElapsedTicks,
            Ambient = ErrorContext.Current,
            Activity = failure.Activity,
        };
        if (!_queue.TryAccept(capture))
        {
            CountFailure(capture);
        }
    }

    private void CountFailure(in ErrorCapture capture)
    {
        try
        {
            if (capture.Describe(Settings.TrackCancellations, out string type, out _, out ErrorCategory category, out ErrorSeverity severity))
            {
                _counts.Count(type, category, capture.Component, severity);
            }
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("error tracking", ex);
        }
    }

    void IMonitoringService.Start()
    {
        lock (_gate)
        {
            if (_running)
            {
                return;
            }

            _running = true;
            Volatile.Write(ref _started, true);
            _loop.InApp = Settings.CreateInAppFilter();
            _loop.SetCallBaseline();
            _queue.Start();
            OperationEvents.Subscribe(this);
        }
    }

    void IMonitoringService.Stop()
    {
        lock (_gate)
        {
            if (!_running)
            {
                return;
            }

            _running = false;
            OperationEvents.Unsubscribe(this);
        }

        if (!_queue.Stop(_options.Storage.StopTimeout))
        {
            MonitoringDiagnostics.Warn("[maran] the error tracker did not finish its queue within the stop timeout");
        }

        _loop.SampleCalls();
    }
}
