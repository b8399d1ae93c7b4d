using System.Diagnostics;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;
using Serilog.Core;
using Serilog.Events;

namespace Maran.Instrument;

/// <summary>
/// Adds <c>trace_id</c>, <c>span_id</c>, <c>operation</c> and <c>component</c> to each event from the monitored call
/// it is logged in. Trace ids come from <see cref="Activity.Current"/> (an ASP.NET request, an OpenTelemetry span, a
/// monitored call's span); the operation comes from the call tree (<c>monitoring.call_tree: true</c>) or from the
/// nearest monitored call's span (tracing with a listener). With neither, monitored calls keep no ambient state, so
/// events carry no operation: that is what keeps the default hot path free.
/// </summary>
internal sealed class OperationContextEnricher : ILogEventEnricher
{
    private const int MaxSpanDepth = 32;

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        Activity? activity = Activity.Current;
        if (activity is not null && activity.IdFormat == ActivityIdFormat.W3C)
        {
            logEvent.AddPropertyIfAbsent(new LogEventProperty("trace_id", new ScalarValue(activity.TraceId.ToHexString())));
            logEvent.AddPropertyIfAbsent(new LogEventProperty("span_id", new ScalarValue(activity.SpanId.ToHexString())));
        }

        (string? operation, string? component) = CurrentOperation(activity);
        if (operation is not null)
        {
            logEvent.AddPropertyIfAbsent(new LogEventProperty("operation", new ScalarValue(operation)));
            logEvent.AddPropertyIfAbsent(new LogEventProperty("component", new ScalarValue(component)));
        }
    }

    internal static (string? Operation, string? Component) CurrentOperation(Activity? activity)
    {
        if (OperationFrame.Current is { } frame)
        {
            return (frame.Recorder.Name, frame.Recorder.Component);
        }

        for (int depth = 0; activity is not null && depth < MaxSpanDepth; depth++, activity = activity.Parent)
        {
            if (ReferenceEquals(activity.Source, MaranTelemetry.ActivitySource) && activity.GetTagItem("maran.operation") is string operation)
            {
                return (operation, activity.GetTagItem("maran.component") as string);
            }
        }

        return (null, null);
    }
}
