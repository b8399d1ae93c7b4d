using Maran.Instrument.Diagnostics;

namespace Maran.Instrument.Errors;

/// <summary>The synchronous form of a tracker's flush: waits a bounded time, and a failure inside monitoring is counted, never thrown.</summary>
internal static class TrackerFlush
{
    public static bool Wait(Task flush, TimeSpan timeout, string component)
    {
        try
        {
            return flush.Wait(timeout);
        }
        catch (AggregateException ex)
        {
            MonitoringDiagnostics.InternalError(component, ex);
            return false;
        }
    }
}
