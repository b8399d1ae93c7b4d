using System.Diagnostics;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Profiling;

/// <summary>What a listener learns of a monitored call that failed or was cancelled.</summary>
/// <param name="Recorder">The operation.</param>
/// <param name="Exception">The exception, or null for a task that was cancelled without one.</param>
/// <param name="Status">Error or cancelled.</param>
/// <param name="ElapsedTicks">Duration in stopwatch ticks, or -1 when the call was not timed.</param>
/// <param name="Activity">The call's span when tracing, else the ambient one.</param>
/// <param name="IsRecorded">
/// Whether the exception was already recorded, by an inner monitored call or as the inner exception of this one: the
/// call failed, but the failure is not a new error.
/// </param>
/// <param name="Propagating">
/// Whether the exception is still propagating: the failure was seen in an interceptor's exception filter, so the
/// exception's stack ends at the interceptor now and grows as it leaves. A listener that reads the stack later cuts it
/// there (the error tracker does); a failure seen any other way (a faulted task, a stream, by hand) is
/// reported once its stack is final for the call.
/// </param>
internal readonly record struct OperationFailure(
    OperationRecorder Recorder,
    Exception? Exception,
    OperationStatus Status,
    long ElapsedTicks,
    Activity? Activity,
    bool IsRecorded = false,
    bool Propagating = false);

/// <summary>Receives events from the failure path of monitored calls; must be fast and must not throw.</summary>
internal interface IOperationListener
{
    void OnOperationFailed(in OperationFailure failure);
}

/// <summary>Receives the token usage read from the results of monitored calls; must be fast, must not throw, must not block.</summary>
internal interface IUsageListener
{
    /// <summary>Whether results that report no usage should hand over their text, for token estimation.</summary>
    bool WantsText { get; }

    void OnUsage(OperationRecorder recorder, in TokenUsage usage);
}

/// <summary>
/// Takes every call the recent-call rings record (the audit trail): told by a thread whose ring is full, before the
/// thread overwrites the ring's oldest entry. Must be fast, must not throw, must not block.
/// </summary>
internal interface ICallRingListener
{
    void OnRingFull(RecorderCell cell);
}

/// <summary>
/// The door from interceptors to the trackers: the hot path never sees it; only failures and the token usage of
/// usage-bearing results are dispatched, to every listener of every started monitoring system, and full recent-call
/// rings (every 32 calls per thread) to the one call ring listener.
/// </summary>
internal static class OperationEvents
{
    private static readonly object s_gate = new();
    private static volatile IOperationListener[] s_listeners = [];
    private static volatile IUsageListener[] s_usageListeners = [];
    private static volatile bool s_usageTextWanted;
    private static volatile ICallRingListener? s_callRingListener;

    /// <summary>Whether anyone listens for usage; when not, generated readers are not even called.</summary>
    internal static bool HasUsageListeners => s_usageListeners.Length > 0;

    /// <summary>Whether a usage listener wants the text of results without usage (token estimation is on).</summary>
    internal static bool UsageTextWanted => s_usageTextWanted;

    /// <summary>The one listener that takes the rings' calls, or null; one, because each call is handed over once.</summary>
    internal static ICallRingListener? CallRingListener => s_callRingListener;

    /// <summary>Makes <paramref name="listener"/> the rings' listener; false when another one already is.</summary>
    internal static bool SetCallRingListener(ICallRingListener listener)
    {
        lock (s_gate)
        {
            if (s_callRingListener is not null && !ReferenceEquals(s_callRingListener, listener))
            {
                return false;
            }

            s_callRingListener = listener;
            return true;
        }
    }

    internal static void ClearCallRingListener(ICallRingListener listener)
    {
        lock (s_gate)
        {
            if (ReferenceEquals(s_callRingListener, listener))
            {
                s_callRingListener = null;
            }
        }
    }

    /// <summary>Tells <paramref name="listener"/> that <paramref name="cell"/>'s ring is full; a failure is counted, never thrown.</summary>
    internal static void RingFull(ICallRingListener listener, RecorderCell cell)
    {
        try
        {
            listener.OnRingFull(cell);
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("call ring listener", ex);
        }
    }

    internal static void Subscribe(IOperationListener listener)
    {
        lock (s_gate)
        {
            s_listeners = [.. s_listeners, listener];
        }
    }

    internal static void Unsubscribe(IOperationListener listener)
    {
        lock (s_gate)
        {
            s_listeners = [.. s_listeners.Where(l => !ReferenceEquals(l, listener))];
        }
    }

    internal static void SubscribeUsage(IUsageListener listener)
    {
        lock (s_gate)
        {
            s_usageListeners = [.. s_usageListeners, listener];
            s_usageTextWanted = s_usageListeners.Any(l => l.WantsText);
        }
    }

    internal static void UnsubscribeUsage(IUsageListener listener)
    {
        lock (s_gate)
        {
            s_usageListeners = [.. s_usageListeners.Where(l => !ReferenceEquals(l, listener))];
            s_usageTextWanted = s_usageListeners.Any(l => l.WantsText);
        }
    }

    /// <summary>
    /// Hands one call's tokens to the listeners, attributed to the operation they belong to: for a model, tool or agent
    /// call, the operation of the application around it (<see cref="OperationFrame.UsageOwner"/>), else the call itself.
    /// A call made directly inside another model call or agent run hands over nothing: the outer call reports the same
    /// response, and a record of its own would be one more model call (with no tokens) than the provider served.
    /// </summary>
    internal static void Usage(OperationRecorder recorder, in TokenUsage usage, OperationFrame? frame = null)
    {
        if (frame is { CountsUsage: false })
        {
            return;
        }

        OperationRecorder owner = frame?.UsageOwner ?? recorder;
        foreach (IUsageListener listener in s_usageListeners)
        {
            try
            {
                listener.OnUsage(owner, usage);
            }
            catch (Exception ex)
            {
                MonitoringDiagnostics.InternalError("usage listener", ex);
            }
        }
    }

    /// <summary>
    /// A call's usage as its owner sees it: a response that names no model answers to the model the owning operation's
    /// attribute names (<c>[MonitorOperation(Model = ...)]</c>), as it did when the operation read the response itself.
    /// </summary>
    internal static TokenUsage OwnedBy(in TokenUsage usage, OperationRecorder recorder, OperationFrame? frame) =>
        frame?.UsageOwner is { } owner && !ReferenceEquals(owner, recorder) ? usage.OrModel(owner.Model) : usage;

    internal static void Failed(in OperationFailure failure)
    {
        foreach (IOperationListener listener in s_listeners)
        {
            try
            {
                listener.OnOperationFailed(failure);
            }
            catch (Exception ex)
            {
                MonitoringDiagnostics.InternalError("operation listener", ex);
            }
        }
    }
}
