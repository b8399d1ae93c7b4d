using System.Collections.Concurrent;
using System.Diagnostics;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// Keeps the most recent traces of monitored calls while the dashboard runs: an <see cref="ActivityListener"/> that
/// starts a trace for a <c>Maran.Instrument</c> span and keeps that span and every span beneath it, from any source.
/// New traces are sampled at most once a second per root operation, and <c>traces_per_second</c> in all, so a busy
/// operation cannot crowd out a rare one and tracing costs little under load. Bounded: <c>max_traces</c> traces of at most
/// <see cref="MaxSpansPerTrace"/> spans each; the oldest trace goes first. The sampler runs on every monitored call
/// while the dashboard is open, so the decision not to sample takes no lock: two lock-free reads.
/// </summary>
internal sealed class TraceCollector : IDisposable
{
    /// <summary>Spans kept per trace at most; further ones are counted, not kept.</summary>
    internal const int MaxSpansPerTrace = 256;

    /// <summary>Root operations whose last sampling time is remembered at most; beyond that the memory starts afresh.</summary>
    private const int MaxRememberedOperations = 10_000;

    private readonly object _gate = new();
    private readonly ConcurrentDictionary<ActivityTraceId, TraceBuffer> _traces = new();
    private readonly Queue<ActivityTraceId> _order = new();
    private readonly ConcurrentDictionary<string, long> _lastRootByOperation = new(StringComparer.Ordinal);
    private readonly long _oneSecond;
    private readonly int _maxTraces;
    private readonly double _perSecond;
    private readonly TimeProvider _time;
    private readonly ActivityListener _listener;
    private double _tokens;
    private long _refilled;
    private long _nextToken;
    private int _disposed;

    public TraceCollector(int maxTraces, double perSecond, TimeProvider time)
    {
        _maxTraces = maxTraces;
        _perSecond = perSecond;
        _time = time;
        _tokens = Math.Max(1, perSecond);
        _refilled = time.GetTimestamp();
        _oneSecond = time.TimestampFrequency;
        _listener = new ActivityListener
        {
            ShouldListenTo = static _ => true,
            Sample = Sample,
            SampleUsingParentId = static (ref ActivityCreationOptions<string> _) => ActivitySamplingResult.None,
            ActivityStopped = OnStopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Every kept trace, newest first.</summary>
    public IReadOnlyList<TraceSummary> Recent()
    {
        TraceBuffer[] buffers = [.. _traces.Values];

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

        return _traces.TryGetValue(ActivityTraceId.CreateFromString(traceId), out TraceBuffer? buffer) ? buffer.Detail() : null;
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
            if (parent != default && _traces.ContainsKey(parent.TraceId))
            {
                return ActivitySamplingResult.AllDataAndRecorded;
            }

            // A new trace starts only at a monitored call; with call trees on, only at one that runs inside no other
            // (a call nested in an unsampled one would otherwise show as a trace of its own).
            if (!string.Equals(options.Source.Name, MaranTelemetry.SourceName, StringComparison.Ordinal)
                || OperationFrame.Current is not null
                || !TakeToken(options.Name))
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
            if (_traces.TryGetValue(activity.TraceId, out TraceBuffer? buffer))
            {
                buffer.Add(activity);
            }
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("dashboard traces", ex);
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
                _traces.TryRemove(oldest, out _);
            }

            _traces[traceId] = new TraceBuffer(traceId.ToHexString(), MaxSpansPerTrace);
            _order.Enqueue(traceId);
        }
    }

    // One new trace a second per root operation, and a token bucket of traces_per_second (burst: one second's worth) in
    // all. Both refusals are decided before the lock, from values any thread may read.
    private bool TakeToken(string operation)
    {
        long now = _time.GetTimestamp();
        if (now < Volatile.Read(ref _nextToken)
            || (_lastRootByOperation.TryGetValue(operation, out long last) && now - last < _oneSecond))
        {
            return false;
        }

        lock (_gate)
        {
            if (_lastRootByOperation.TryGetValue(operation, out last) && now - last < _oneSecond)
            {
                return false;
            }

            double elapsed = (double)(now - _refilled) / _oneSecond;
            _refilled = now;
            _tokens = Math.Min(Math.Max(1, _perSecond), _tokens + (elapsed * _perSecond));
            if (_tokens < 1)
            {
                Volatile.Write(ref _nextToken, now + (long)((1 - _tokens) / _perSecond * _oneSecond));
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
