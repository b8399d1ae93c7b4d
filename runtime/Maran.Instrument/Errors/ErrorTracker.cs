using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Maran.Instrument;

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
/// </remarks>
public sealed class ErrorTracker : IOperationListener, IMonitoringService
{
    private const long HourMs = 3_600_000;
    private const string OverflowFingerprint = "overflow";
    private const int RecentCapacity = 200;
    private static readonly TimeSpan TickEvery = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ReadYourWrites = TimeSpan.FromSeconds(5);

    private readonly MonitoringOptions _options;
    private readonly IErrorPersistence _store;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly object _state = new();
    private readonly Dictionary<string, ErrorGroupState> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<HourlyErrorKey, long> _hourly = [];
    private readonly Dictionary<HourlyCallKey, long> _calls = [];
    private readonly Dictionary<OperationRecorder, long> _callBaseline = [];
    private readonly ConcurrentDictionary<(string Type, string Category, string Component, string Severity), StrongBox<long>> _counts = new();
    private readonly ConcurrentDictionary<HourlyCallKey, StrongBox<long>> _passedThrough = new();
    private readonly Queue<TrackedError> _recent = new();
    private readonly TrackerQueue<Capture> _queue;
    private InAppFilter _inApp;
    private bool _running;
    private bool _started;
    private bool _overflowReported;

    internal ErrorTracker(MonitoringOptions options, IErrorPersistence store, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _store = store;
        _queue = new TrackerQueue<Capture>("errors", options.Errors.QueueCapacity, _time, TickEvery, LoadHistory, HandleBatch, Tick);
        _inApp = options.Errors.CreateInAppFilter();
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
            Count(type, category, component, severity);
            if (!_queue.HasRoom())
            {
                return;
            }

            _queue.TryAccept(new Capture
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
    public ErrorAnalytics GetErrorAnalytics(int hours = 24)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hours, 1);
        DateTimeOffset now = _time.GetUtcNow();
        long nowMs = now.ToUnixTimeMilliseconds();
        long firstHour = HourOf(nowMs) - ((hours - 1) * HourMs);
        var byType = new Dictionary<string, long>(StringComparer.Ordinal);
        var byCategory = new Dictionary<string, long>(StringComparer.Ordinal);
        var byComponent = new Dictionary<string, long>(StringComparer.Ordinal);
        var bySeverity = new Dictionary<string, long>(StringComparer.Ordinal);
        var trend = new long[hours];
        var byGroup = new Dictionary<string, long>(StringComparer.Ordinal);
        var rates = new Dictionary<(string Component, string Operation), (long Errors, long Calls)>();
        List<ErrorGroup> top;
        long total = 0;

        lock (_state)
        {
            long lastHour = HourOf(nowMs);
            foreach ((HourlyErrorKey key, long count) in _hourly)
            {
                // Hours after now exist only if the clock went back; they belong to no window yet.
                if (key.Hour < firstHour || key.Hour > lastHour)
                {
                    continue;
                }

                total += count;
                Add(byType, key.Type, count);
                Add(byCategory, EnumNames.Of(key.Category), count);
                Add(byComponent, key.Component, count);
                Add(bySeverity, EnumNames.Of(key.Severity), count);
                Add(byGroup, key.Fingerprint, count);
                trend[(key.Hour - firstHour) / HourMs] += count;
                if (key.Operation.Length > 0 && key.Category != ErrorCategory.Cancelled)
                {
                    var rate = rates.GetValueOrDefault((key.Component, key.Operation));
                    rates[(key.Component, key.Operation)] = (rate.Errors + count, rate.Calls);
                }
            }

            foreach ((HourlyCallKey key, long calls) in _calls)
            {
                if (key.Hour >= firstHour && key.Hour <= lastHour)
                {
                    var rate = rates.GetValueOrDefault((key.Component, key.Operation));
                    rates[(key.Component, key.Operation)] = (rate.Errors, rate.Calls + calls);
                }
            }

            foreach ((HourlyCallKey key, StrongBox<long> failed) in _passedThrough)
            {
                if (key.Hour >= firstHour && key.Hour <= lastHour)
                {
                    var rate = rates.GetValueOrDefault((key.Component, key.Operation));
                    rates[(key.Component, key.Operation)] = (rate.Errors + Interlocked.Read(ref failed.Value), rate.Calls);
                }
            }

            TimeSpan newWindow = TimeSpan.FromHours(Settings.NewGroupHours);
            top = [.. byGroup
                .OrderByDescending(g => g.Value)
                .ThenBy(g => g.Key, StringComparer.Ordinal)
                .Take(10)
                .Where(g => _groups.ContainsKey(g.Key))
                .Select(g => _groups[g.Key].ToGroup(g.Value, nowMs, newWindow))];
        }

        return new ErrorAnalytics
        {
            Hours = hours,
            From = DateTimeOffset.FromUnixTimeMilliseconds(firstHour),
            To = now,
            TotalErrors = total,
            ByType = byType,
            ByCategory = byCategory,
            ByComponent = byComponent,
            BySeverity = bySeverity,
            HourlyTrend = [.. trend.Select((count, i) => new ErrorTrendPoint(DateTimeOffset.FromUnixTimeMilliseconds(firstHour + (i * HourMs)), count))],
            TopGroups = top,
            ErrorRates = [.. rates
                .OrderBy(r => r.Key.Component, StringComparer.Ordinal)
                .ThenBy(r => r.Key.Operation, StringComparer.Ordinal)
                .Select(r => new OperationErrorRate(r.Key.Component, r.Key.Operation, r.Value.Errors, r.Value.Calls, r.Value.Calls > 0 ? (double)r.Value.Errors / r.Value.Calls : null))],
        };
    }

    /// <summary>
    /// Every error tracked since this tracker was created, by type, category, component and severity: what the
    /// exporters publish as <c>errors_total</c>. Answers at once with what the loop has counted; errors still queued
    /// are counted as it takes them (<see cref="Flush"/> waits for that).
    /// </summary>
    internal IReadOnlyList<ErrorCount> GetErrorCounts() =>
        [.. _counts.Select(c => new ErrorCount(c.Key.Type, c.Key.Category, c.Key.Component, c.Key.Severity, Interlocked.Read(ref c.Value.Value)))];

    /// <summary>The group of <paramref name="fingerprint"/>, or null when there is none; a pure read, as <see cref="GetErrorAnalytics"/> is.</summary>
    public ErrorGroup? GetGroup(string fingerprint)
    {
        lock (_state)
        {
            long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            return _groups.TryGetValue(fingerprint, out ErrorGroupState? group)
                ? group.ToGroup(CountSince(fingerprint, long.MinValue), now, TimeSpan.FromHours(Settings.NewGroupHours))
                : null;
        }
    }

    /// <summary>
    /// Every group kept (at most <c>errors.max_groups</c>, plus the overflow group), each with its occurrences in the
    /// last <paramref name="hours"/> clock hours, in no particular order: what the dashboard pages through. Answers at
    /// once, without waiting for errors still queued.
    /// </summary>
    internal IReadOnlyList<ErrorGroup> GetGroups(int hours)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hours, 1);
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        long firstHour = HourOf(now) - ((hours - 1) * HourMs);
        long lastHour = HourOf(now);
        TimeSpan newWindow = TimeSpan.FromHours(Settings.NewGroupHours);
        lock (_state)
        {
            var inWindow = new Dictionary<string, long>(_groups.Count, StringComparer.Ordinal);
            foreach ((HourlyErrorKey key, long count) in _hourly)
            {
                if (key.Hour >= firstHour && key.Hour <= lastHour)
                {
                    inWindow[key.Fingerprint] = inWindow.GetValueOrDefault(key.Fingerprint) + count;
                }
            }

            var groups = new List<ErrorGroup>(_groups.Count);
            foreach (ErrorGroupState group in _groups.Values)
            {
                groups.Add(group.ToGroup(inWindow.GetValueOrDefault(group.Fingerprint), now, newWindow));
            }

            return groups;
        }
    }

    /// <summary>
    /// The latest errors, newest first, optionally of one group: from the database, or from memory when it cannot be read.
    /// A pure read of what is written; call <see cref="Flush"/> first for the errors just tracked.
    /// </summary>
    public IReadOnlyList<TrackedError> GetRecentErrors(int limit = 50, string? fingerprint = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (_store.TryReadRecent(limit, fingerprint, out List<TrackedError> stored) && stored.Count > 0)
        {
            return stored;
        }

        lock (_state)
        {
            return [.. _recent.Reverse().Where(e => fingerprint is null || e.Fingerprint == fingerprint).Take(limit)];
        }
    }

    /// <summary>Marks a group resolved; an occurrence after this makes it <see cref="ErrorGroupStatus.Regressed"/>. False when there is no such group.</summary>
    public bool ResolveGroup(string fingerprint)
    {
        _queue.WaitHandled(ReadYourWrites);
        lock (_state)
        {
            if (!_groups.TryGetValue(fingerprint, out ErrorGroupState? group))
            {
                return false;
            }

            group.ResolvedAt = Math.Max(_time.GetUtcNow().ToUnixTimeMilliseconds(), group.LastSeen);
            _store.Save(group);
            return true;
        }
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
        lock (_state)
        {
            SampleCalls(_time.GetUtcNow().ToUnixTimeMilliseconds());
        }
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
                CountPassedThrough(failure.Recorder);
            }

            return;
        }

        Exception? exception = failure.Exception;
        var capture = new Capture
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

    // Type, message, category and severity of a monitored call's failure, and whether it is tracked at all
    // (a cancellation only when errors.track_cancellations is on).
    private bool Describe(in Capture capture, out string type, out string message, out ErrorCategory category, out ErrorSeverity severity)
    {
        Exception? exception = capture.Exception;
        bool cancelledWithoutException = capture.Status == OperationStatus.Cancelled && exception is null;
        type = exception?.GetType().FullName ?? (cancelledWithoutException ? typeof(TaskCanceledException).FullName! : "Error");
        message = exception?.Message ?? (cancelledWithoutException ? "The task was cancelled." : string.Empty);
        category = cancelledWithoutException ? ErrorCategory.Cancelled : ErrorCategorizer.Categorize(exception, type, message);
        severity = category == ErrorCategory.Cancelled ? ErrorSeverity.Info : ErrorSeverity.Error;
        return category != ErrorCategory.Cancelled || Settings.TrackCancellations;
    }

    private void CountFailure(in Capture capture)
    {
        try
        {
            if (Describe(capture, out string type, out _, out ErrorCategory category, out ErrorSeverity severity))
            {
                Count(type, category, capture.Component, severity);
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
            _inApp = Settings.CreateInAppFilter();
            lock (_state)
            {
                foreach (OperationRecorder recorder in OperationRegistry.All)
                {
                    _callBaseline[recorder] = recorder.StartedCount();
                }
            }

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

        lock (_state)
        {
            SampleCalls(_time.GetUtcNow().ToUnixTimeMilliseconds());
        }
    }

    private void Tick()
    {
        lock (_state)
        {
            long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            SampleCalls(now);
            Prune(now);
        }
    }

    private void HandleBatch(List<Capture> batch)
    {
        lock (_state)
        {
            foreach (Capture capture in batch)
            {
                try
                {
                    Process(capture);
                }
                catch (Exception ex)
                {
                    MonitoringDiagnostics.InternalError("error tracker", ex);
                }
            }
        }
    }

    private void LoadHistory()
    {
        long since = HourOf(_time.GetUtcNow().ToUnixTimeMilliseconds() - RetentionMs());
        if (!_store.TryLoad(since, out StoredErrors stored))
        {
            return;
        }

        lock (_state)
        {
            foreach (ErrorGroupState group in stored.Groups)
            {
                if (!_groups.TryGetValue(group.Fingerprint, out ErrorGroupState? live))
                {
                    _groups[group.Fingerprint] = group;
                    continue;
                }

                // Errors tracked before the history was read are added to what the database holds.
                live.FirstSeen = Math.Min(live.FirstSeen, group.FirstSeen);
                live.Count += group.Count;
                live.ResolvedAt ??= group.ResolvedAt;
            }

            foreach ((HourlyErrorKey key, long count) in stored.Hourly)
            {
                _hourly[key] = _hourly.GetValueOrDefault(key) + count;
            }

            foreach ((HourlyCallKey key, long calls) in stored.Calls)
            {
                _calls[key] = _calls.GetValueOrDefault(key) + calls;
            }
        }
    }

    // A monitored call's failure is described and counted here; an error tracked by hand was on its caller's thread.
    // Then the detail: fingerprint, stack, group, hourly count, storage.
    private void Process(in Capture capture)
    {
        Exception? exception = capture.Exception;
        string type, message;
        ErrorCategory category;
        ErrorSeverity severity;
        string component = capture.Component;
        if (capture.Recorder is null)
        {
            (type, message, category, severity) = (capture.Type!, capture.Message!, capture.Category, capture.Severity);
        }
        else if (Describe(capture, out type, out message, out category, out severity))
        {
            Count(type, category, component, severity);
        }
        else
        {
            return;
        }

        StackTrace? trace = capture.Trace ?? (exception is not null && capture.Recorder is { } recorder ? InterceptedTrace.Read(exception, recorder) : null);
        string normalized = MessageNormalizer.Normalize(message);
        string fingerprint = ErrorFingerprint.Compute(type, ErrorFingerprint.Frames(trace, _inApp), normalized, component);
        long at = capture.Timestamp.ToUnixTimeMilliseconds();

        var error = new TrackedError
        {
            Timestamp = capture.Timestamp,
            Fingerprint = fingerprint,
            Type = type,
            Message = message,
            Severity = severity,
            Category = category,
            Component = component,
            Operation = capture.Operation,
            TraceId = capture.TraceId,
            SpanId = capture.SpanId,
            StackTrace = capture.Trace is null && trace is not null ? StackFormatter.Format(trace) : StackFormatter.Format(exception, capture.Trace),
            InnerExceptions = StackFormatter.InnerErrors(exception),
            Context = ErrorContext.Flatten(capture.Ambient, capture.Context),
            DurationMs = capture.ElapsedTicks >= 0 ? MonitoringClock.ToMilliseconds(capture.ElapsedTicks) : null,
        };

        ErrorGroupState group = GroupFor(error, normalized, at);
        group.Count++;
        group.FirstSeen = Math.Min(group.FirstSeen, at);
        if (at >= group.LastSeen)
        {
            group.LastSeen = at;
            group.LastMessage = message;
        }

        var key = new HourlyErrorKey(HourOf(at), group.Fingerprint, type, category, component, capture.Operation ?? string.Empty, severity);
        long count = _hourly.GetValueOrDefault(key) + 1;
        _hourly[key] = count;

        _recent.Enqueue(error);
        if (_recent.Count > RecentCapacity)
        {
            _recent.Dequeue();
        }

        _store.Insert(error);
        _store.Save(group);
        _store.Save(key, count);
    }

    private ErrorGroupState GroupFor(TrackedError error, string normalized, long at)
    {
        if (_groups.TryGetValue(error.Fingerprint, out ErrorGroupState? group))
        {
            return group;
        }

        string fingerprint = error.Fingerprint;
        string type = error.Type;
        string title = normalized.Length > 0 ? $"{type}: {normalized}" : type;
        if (_groups.Count >= Settings.MaxGroups)
        {
            if (!_overflowReported)
            {
                _overflowReported = true;
                MonitoringDiagnostics.Warn($"[maran] more than {Settings.MaxGroups} error groups: further ones are counted together as '{OverflowFingerprint}' (errors.max_groups)");
            }

            fingerprint = OverflowFingerprint;
            type = "overflow";
            title = "Errors of groups beyond errors.max_groups";
            if (_groups.TryGetValue(fingerprint, out group))
            {
                return group;
            }
        }

        group = new ErrorGroupState
        {
            Fingerprint = fingerprint,
            Type = type,
            Title = title,
            Category = error.Category,
            Component = error.Component,
            Operation = error.Operation,
            FirstSeen = at,
            LastSeen = at,
            LastMessage = error.Message,
        };
        _groups[fingerprint] = group;
        return group;
    }

    // Calls per operation and hour come from the profiler's counts: what was started since the last sample lands in this hour.
    private void SampleCalls(long now)
    {
        long hour = HourOf(now);
        foreach (OperationRecorder recorder in OperationRegistry.All)
        {
            long started = recorder.StartedCount();
            long previous = _callBaseline.GetValueOrDefault(recorder);
            if (started <= previous)
            {
                continue;
            }

            _callBaseline[recorder] = started;
            var key = new HourlyCallKey(hour, recorder.Component, recorder.Name);
            long calls = _calls.GetValueOrDefault(key) + (started - previous);
            _calls[key] = calls;
            _store.Save(key, calls);
        }
    }

    private void Prune(long now)
    {
        long cutoff = now - RetentionMs();
        foreach (HourlyErrorKey key in _hourly.Keys.Where(k => k.Hour + HourMs <= cutoff).ToList())
        {
            _hourly.Remove(key);
        }

        foreach (HourlyCallKey key in _calls.Keys.Where(k => k.Hour + HourMs <= cutoff).ToList())
        {
            _calls.Remove(key);
        }

        foreach (HourlyCallKey key in _passedThrough.Keys.Where(k => k.Hour + HourMs <= cutoff).ToList())
        {
            _passedThrough.TryRemove(key, out _);
        }

        foreach (ErrorGroupState group in _groups.Values.Where(g => g.LastSeen < cutoff).ToList())
        {
            _groups.Remove(group.Fingerprint);
        }
    }

    private long CountSince(string fingerprint, long since)
    {
        long count = 0;
        foreach ((HourlyErrorKey key, long n) in _hourly)
        {
            if (key.Hour >= since && key.Fingerprint == fingerprint)
            {
                count += n;
            }
        }

        return count;
    }

    // errors_total, exact: counted where the error is recorded, whatever the queue then accepts.
    private void Count(string type, ErrorCategory category, string component, ErrorSeverity severity)
    {
        StrongBox<long> box = _counts.GetOrAdd((type, EnumNames.Of(category), component, EnumNames.Of(severity)), static _ => new StrongBox<long>());
        Interlocked.Increment(ref box.Value);
    }

    // A failure raised in an inner monitored call that failed this one too: part of this operation's error rate only.
    private void CountPassedThrough(OperationRecorder recorder)
    {
        var key = new HourlyCallKey(HourOf(_time.GetUtcNow().ToUnixTimeMilliseconds()), recorder.Component, recorder.Name);
        StrongBox<long> box = _passedThrough.GetOrAdd(key, static _ => new StrongBox<long>());
        Interlocked.Increment(ref box.Value);
    }

    private long RetentionMs() => (long)TimeSpan.FromDays(_options.Storage.RetentionDays).TotalMilliseconds;

    private static long HourOf(long unixMs) => unixMs - (((unixMs % HourMs) + HourMs) % HourMs);

    private static void Add(Dictionary<string, long> totals, string key, long count) =>
        totals[key] = totals.GetValueOrDefault(key) + count;

    /// <summary>
    /// What the failure path hands to the loop: references and a few numbers, nothing read from the exception. A
    /// monitored call's failure names its <see cref="Recorder"/> and leaves type, message, category and severity to the
    /// loop; an error tracked by hand comes with them.
    /// </summary>
    private readonly record struct Capture
    {
        public DateTimeOffset Timestamp { get; init; }

        public OperationRecorder? Recorder { get; init; }

        public OperationStatus Status { get; init; }

        public string? Type { get; init; }

        public ErrorCategory Category { get; init; }

        public ErrorSeverity Severity { get; init; }

        public required string Component { get; init; }

        public string? Operation { get; init; }

        public string? Message { get; init; }

        public Exception? Exception { get; init; }

        /// <summary>The exception's frames taken where it was recorded, or null when the loop reads them (<see cref="InterceptedTrace"/>).</summary>
        public StackTrace? Trace { get; init; }

        /// <summary>The call's duration in stopwatch ticks, or -1 when it was not timed or the error was tracked by hand.</summary>
        public long ElapsedTicks { get; init; }

        public ErrorContext.Node? Ambient { get; init; }

        public IReadOnlyDictionary<string, string>? Context { get; init; }

        public Activity? Activity { get; init; }

        public string? TraceId => Activity is { } a && a.TraceId != default ? a.TraceId.ToHexString() : null;

        public string? SpanId => Activity is { } a && a.SpanId != default ? a.SpanId.ToHexString() : null;
    }
}
