using Maran.Instrument.Diagnostics;
using Serilog.Core;
using Serilog.Events;

namespace Maran.Instrument;

/// <summary>
/// Passes each event to a sink that can fail while the program runs (the log file on a full disk): a failure is
/// counted as an internal error of <paramref name="kind"/> and reported once, to standard error among others, and the
/// events go on to the other sinks. Serilog alone would tell only its SelfLog, which nobody reads.
/// </summary>
internal sealed class FailureReportingSink(string kind, ILogEventSink next) : ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
        try
        {
            next.Emit(logEvent);
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError(kind, ex);
        }
    }
}
