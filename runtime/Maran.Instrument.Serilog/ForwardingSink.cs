using Maran.Instrument.Diagnostics;
using Serilog.Core;
using Serilog.Events;

namespace Maran.Instrument;

/// <summary>Hands events to the sinks of the running logging pipeline; drops them while none runs (before start, after stop).</summary>
internal sealed class ForwardingSink : ILogEventSink
{
    private ILogEventSink? _target;

    internal ILogEventSink? Target
    {
        get => Volatile.Read(ref _target);
        set => Volatile.Write(ref _target, value);
    }

    public void Emit(LogEvent logEvent)
    {
        try
        {
            Target?.Emit(logEvent);
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("log sink", ex);
        }
    }
}
