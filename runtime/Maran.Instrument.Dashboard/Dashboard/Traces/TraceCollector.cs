using System.Diagnostics;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// Keeps the most recent traces of monitored calls while the dashboard runs: an <see cref="ActivityListener"/> that
/// starts a trace for a <c>Maran.Instrument</c> span and keeps that span and every span beneath it, from any source.
/// New traces are sampled at most once a second per root operation, and <c>traces_per_second</c> in all, so a busy
/// operation cannot crowd out a rare one and tracing costs little under load. Bounded: <c>max_traces</c> traces of at most
/// <see cref="MaxSpansPerTrace"/> spans each; the oldest trace goes first.
/// </summary>
internal sealed class TraceCollector : IDisposable
{
    /// <summary>Spans kept per trace at most; further ones are counted, not kept.</summary>
    internal const int MaxSpansPerTrace = 256;

    /// <summary>Root operations whose last sampling time is remembered at most; beyond that the memory starts afresh.</summary>
    private const int MaxRememberedOperations = 10_000;

    private readonly object _gate = new();
    private readonly Dictionary<ActivityTraceId, TraceBuffer> _traces = [];
    private readonly Queue<ActivityTraceId> _order = new();
    private readonly Dictionary<string, long> _lastRootByOperation = new(StringComparer.Ordinal);
    private readonly int _maxTraces;
    private readonly double _perSecond;
    private readonly TimeProvider _time;
    private readonly ActivityListener _listener;
    private double _tokens;
    private long _refilled;
    private long _version;
    private int _disposed;

    public TraceCollector(int maxTraces, double perSecond, TimeProvider time)
    {
        _maxTraces = maxTraces;
        _perSecond = perSecond;
        _time = time;
        _tokens = Math.Max(1, perSecond);
        _refilled = time.GetTimestamp();
        _listener = new ActivityListener
        {
            ShouldListenTo = static _ => true,
            Sample = Sample,
            SampleUsingParentId = static (ref ActivityCreationOptions<string> _) => ActivitySamplingResult.None,
            ActivityStopped = OnStopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Changes whenever a span is kept or a trace is dropped, so views know when to re-render.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Every kept trace, newest first.</summary>
    public IReadOnlyList<TraceSummary> Recent()
    {
        TraceBuffer[] buffers;
        lock (_gate)
        {
            buffers = [.. _traces.Values];
        }

        var summaries = new List<TraceSummary>(buffers.Length);
        foreach (TraceBuffer buffer in buffers)
        {
            if (buffer.Summarise() is { } summary)
            {
                summaries.Add(summary);
            }
        }

        summaries.Sort(static (a, b) => b.Start.CompareTo(a.Start));
        return summaries;
    }

    /// <summary>One trace's spans, or null when it is not (or no longer) kept.</summary>
    public TraceDetail? Find(string traceId)
    {
        traceId = traceId.ToLowerInvariant();
        if (traceId.Length != 32 || !IsHex(traceId))
        {
            return null;
        }

        TraceBuffer? buffer;
        lock (_gate)
        {
            _traces.TryGetValue(ActivityTraceId.CreateFromString(traceId), out buffer);
        }

        return buffer?.Detail();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _listener.Dispose();
        }
    }

    private ActivitySamplingResult Sample(ref ActivityCreationOptions<ActivityContext> options)
    {
        try
        {
            ActivityContext parent = options.Parent;
            if (parent != default && IsKept(parent.TraceId))
            {
                return ActivitySamplingResult.AllDataAndRecorded;
            }

            if (!string.Equals(options.Source.Name, MaranTelemetry.SourceName, StringComparison.Ordinal) || !TakeToken(options.Name))
            {
                return ActivitySamplingResult.None;
            }

            Keep(parent == default ? options.TraceId : parent.TraceId);
            return ActivitySamplingResult.AllDataAndRecorded;
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("dashboard traces", ex);
            return ActivitySamplingResult.None;
        }
    }

    private void OnStopped(Activity activity)
    {
        try
        {
            TraceBuffer? buffer;
            lock (_gate)
            {
                _traces.TryGetValue(activity.TraceId, out buffer);
            }

            if (buffer is not null)
            {
                buffer.Add(activity);
                Interlocked.Increment(ref _version);
            }
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("dashboard traces", ex);
        }
    }

    private bool IsKept(ActivityTraceId traceId)
    {
        lock (_gate)
        {
            return _traces.ContainsKey(traceId);
        }
    }

    private void Keep(ActivityTraceId traceId)
    {
        lock (_gate)
        {
            if (_traces.ContainsKey(traceId))
            {
                return;
            }

            while (_traces.Count >= _maxTraces && _order.TryDequeue(out ActivityTraceId oldest))
            {
                _traces.Remove(oldest);
            }

            _traces.Add(traceId, new TraceBuffer(traceId.ToHexString(), MaxSpansPerTrace));
            _order.Enqueue(traceId);
            Interlocked.Increment(ref _version);
        }
    }

    // One new trace a second per root operation, and a token bucket of traces_per_second (burst: one second's worth) in all.
    private bool TakeToken(string operation)
    {
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            if (_lastRootByOperation.TryGetValue(operation, out long last) && _time.GetElapsedTime(last, now) < TimeSpan.FromSeconds(1))
            {
                return false;
            }

            double elapsed = _time.GetElapsedTime(_refilled, now).TotalSeconds;
            _refilled = now;
            _tokens = Math.Min(Math.Max(1, _perSecond), _tokens + (elapsed * _perSecond));
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            if (_lastRootByOperation.Count >= MaxRememberedOperations)
            {
                _lastRootByOperation.Clear();
            }

            _lastRootByOperation[operation] = now;
            return true;
        }
    }

    private static bool IsHex(string text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
