using System.Diagnostics;
using Maran.Instrument.Configuration;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Errors;

/// <summary>
/// What the error tracker's background loop does with the queue: reads the history back once; describes, fingerprints,
/// groups and counts each failure of a batch and writes it to the database; on every tick counts the monitored calls
/// started since the last tick and prunes what is past its retention.
/// </summary>
/// <remarks>Every change is made under the history's gate, which the queries take too.</remarks>
internal sealed class ErrorLoop(MonitoringOptions options, IErrorPersistence store, TimeProvider time, ErrorHistory history, ErrorCounts counts)
{
    private const string OverflowFingerprint = "overflow";
    private const long HourMs = ErrorHistory.HourMs;

    private bool _overflowReported;

    /// <summary>Which frames are the application's own, for fingerprints: <c>errors.in_app</c>, read again at each start.</summary>
    public InAppFilter InApp { get; set; } = options.Errors.CreateInAppFilter();

    private ErrorSettings Settings => options.Errors;

    /// <summary>Adds what the database holds from within the retention to what is in memory.</summary>
    public void LoadHistory()
    {
        long since = ErrorHistory.HourOf(time.GetUtcNow().ToUnixTimeMilliseconds() - RetentionMs());
        if (!store.TryLoad(since, out StoredErrors stored))
        {
            return;
        }

        lock (history.Gate)
        {
            foreach (ErrorGroupState group in stored.Groups)
            {
                if (!history.Groups.TryGetValue(group.Fingerprint, out ErrorGroupState? live))
                {
                    history.Groups[group.Fingerprint] = group;
                    continue;
                }

                // Errors tracked before the history was read are added to what the database holds.
                live.FirstSeen = Math.Min(live.FirstSeen, group.FirstSeen);
                live.Count += group.Count;
                live.ResolvedAt ??= group.ResolvedAt;
            }

            foreach ((HourlyErrorKey key, long count) in stored.Hourly)
            {
                history.Hourly[key] = history.Hourly.GetValueOrDefault(key) + count;
            }

            foreach ((HourlyCallKey key, long calls) in stored.Calls)
            {
                history.Calls[key] = history.Calls.GetValueOrDefault(key) + calls;
            }
        }
    }

    /// <summary>Handles one batch of failures; one that fails is an internal error, and the rest are still handled.</summary>
    public void Handle(List<ErrorCapture> batch)
    {
        lock (history.Gate)
        {
            foreach (ErrorCapture capture in batch)
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

    /// <summary>Counts the calls started since the last sample and prunes what is past the retention.</summary>
    public void Tick()
    {
        lock (history.Gate)
        {
            long now = time.GetUtcNow().ToUnixTimeMilliseconds();
            SampleCalls(now);
            Prune(now);
        }
    }

    /// <summary>Counts the calls started since the last sample, now: for a flush and at stop.</summary>
    public void SampleCalls()
    {
        lock (history.Gate)
        {
            SampleCalls(time.GetUtcNow().ToUnixTimeMilliseconds());
        }
    }

    /// <summary>Takes each operation's started calls as the baseline: calls made before the tracker started are in no hour.</summary>
    public void SetCallBaseline()
    {
        lock (history.Gate)
        {
            foreach (OperationRecorder recorder in OperationRegistry.All)
            {
                history.CallBaseline[recorder] = recorder.StartedCount();
            }
        }
    }

    /// <summary>Marks a group resolved and writes it; false when there is no such group.</summary>
    public bool Resolve(string fingerprint)
    {
        lock (history.Gate)
        {
            if (!history.Groups.TryGetValue(fingerprint, out ErrorGroupState? group))
            {
                return false;
            }

            group.ResolvedAt = Math.Max(time.GetUtcNow().ToUnixTimeMilliseconds(), group.LastSeen);
            store.Save(group);
            return true;
        }
    }

    // A monitored call's failure is described and counted here; an error tracked by hand was on its caller's thread.
    // Then the detail: fingerprint, stack, group, hourly count, storage.
    private void Process(in ErrorCapture capture)
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
        else if (capture.Describe(Settings.TrackCancellations, out type, out message, out category, out severity))
        {
            counts.Count(type, category, component, severity);
        }
        else
        {
            return;
        }

        StackTrace? trace = capture.Trace ?? (exception is not null && capture.Recorder is { } recorder ? InterceptedTrace.Read(exception, recorder) : null);
        string normalized = MessageNormalizer.Normalize(message);
        string fingerprint = ErrorFingerprint.Compute(type, ErrorFingerprint.Frames(trace, InApp), normalized, component);
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

        var key = new HourlyErrorKey(ErrorHistory.HourOf(at), group.Fingerprint, type, category, component, capture.Operation ?? string.Empty, severity);
        long count = history.Hourly.GetValueOrDefault(key) + 1;
        history.Hourly[key] = count;

        history.Recent.Enqueue(error);
        if (history.Recent.Count > ErrorHistory.RecentCapacity)
        {
            history.Recent.Dequeue();
        }

        store.Insert(error);
        store.Save(group);
        store.Save(key, count);
    }

    private ErrorGroupState GroupFor(TrackedError error, string normalized, long at)
    {
        if (history.Groups.TryGetValue(error.Fingerprint, out ErrorGroupState? group))
        {
            return group;
        }

        string fingerprint = error.Fingerprint;
        string type = error.Type;
        string title = normalized.Length > 0 ? $"{type}: {normalized}" : type;
        if (history.Groups.Count >= Settings.MaxGroups)
        {
            if (!_overflowReported)
            {
                _overflowReported = true;
                MonitoringDiagnostics.Warn($"[maran] more than {Settings.MaxGroups} error groups: further ones are counted together as '{OverflowFingerprint}' (errors.max_groups)");
            }

            fingerprint = OverflowFingerprint;
            type = "overflow";
            title = "Errors of groups beyond errors.max_groups";
            if (history.Groups.TryGetValue(fingerprint, out group))
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
        history.Groups[fingerprint] = group;
        return group;
    }

    // Calls per operation and hour come from the profiler's counts: what was started since the last sample lands in this hour.
    private void SampleCalls(long now)
    {
        long hour = ErrorHistory.HourOf(now);
        foreach (OperationRecorder recorder in OperationRegistry.All)
        {
            long started = recorder.StartedCount();
            long previous = history.CallBaseline.GetValueOrDefault(recorder);
            if (started <= previous)
            {
                continue;
            }

            history.CallBaseline[recorder] = started;
            var key = new HourlyCallKey(hour, recorder.Component, recorder.Name);
            long calls = history.Calls.GetValueOrDefault(key) + (started - previous);
            history.Calls[key] = calls;
            store.Save(key, calls);
        }
    }

    private void Prune(long now)
    {
        long cutoff = now - RetentionMs();
        foreach (HourlyErrorKey key in history.Hourly.Keys.Where(k => k.Hour + HourMs <= cutoff).ToList())
        {
            history.Hourly.Remove(key);
        }

        foreach (HourlyCallKey key in history.Calls.Keys.Where(k => k.Hour + HourMs <= cutoff).ToList())
        {
            history.Calls.Remove(key);
        }

        foreach (HourlyCallKey key in history.PassedThrough.Keys.Where(k => k.Hour + HourMs <= cutoff).ToList())
        {
            history.PassedThrough.TryRemove(key, out _);
        }

        foreach (ErrorGroupState group in history.Groups.Values.Where(g => g.LastSeen < cutoff).ToList())
        {
            history.Groups.Remove(group.Fingerprint);
        }
    }

    private long RetentionMs() => (long)TimeSpan.FromDays(options.Storage.RetentionDays).TotalMilliseconds;
}
