using Maran.Instrument.Diagnostics;
using Maran.Instrument.Logging;
using Serilog.Core;
using Serilog.Events;

namespace Maran.Instrument;

/// <summary>Passes each event to the sinks behind it with its secrets masked (<see cref="SecretRedactor"/>).</summary>
internal sealed class RedactingSink(ILogEventSink next) : ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
        LogEvent clean;
        try
        {
            clean = LogEventRedactor.Redact(logEvent);
        }
        catch (Exception ex)
        {
            // An event that cannot be cleaned is not written: a secret must never slip through.
            MonitoringDiagnostics.InternalError("log redaction", ex);
            return;
        }

        next.Emit(clean);
    }
}
