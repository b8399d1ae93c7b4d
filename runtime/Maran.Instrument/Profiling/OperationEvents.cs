using System.Diagnostics;

namespace Maran.Instrument;

/// <summary>What a listener learns of a monitored call that failed or was cancelled.</summary>
/// <param name="Recorder">The operation.</param>
/// <param name="Exception">The exception, or null for a task that was cancelled without one.</param>
/// <param name="Status">Error or cancelled.</param>
/// <param name="ElapsedTicks">Duration in stopwatch ticks, or -1 when the call was not timed.</param>
/// <param name="Activity">The call's span when tracing, else the ambient one.</param>
internal readonly record struct OperationFailure(
    OperationRecorder Recorder,
    Exception? Exception,
    OperationStatus Status,
    long ElapsedTicks,
    Activity? Activity);

/// <summary>Receives events from the failure path of monitored calls; must be fast and must not throw.</summary>
internal interface IOperationListener
{
    void OnOperationFailed(in OperationFailure failure);
}

/// <summary>
/// The door from interceptors to the trackers: the hot path never sees it; only failures (and, later, usage)
/// are dispatched, to every listener of every started monitoring system.
/// </summary>
internal static class OperationEvents
{
    private static readonly object s_gate = new();
    private static volatile IOperationListener[] s_listeners = [];

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
