using Serilog.Core;
using Serilog.Events;

namespace Maran.Instrument;

/// <summary>
/// Sends every event to the log's sinks, and to the console unless it carries
/// <see cref="MaranLogging.ConsoleProperty"/> = false (an application's <c>ILogger</c> event that its own console
/// logging already shows). The property is removed first, so no sink writes it.
/// </summary>
internal sealed class ConsoleChoiceSink(ILogEventSink? console, ILogEventSink pipeline) : ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
        bool toConsole = true;
        if (logEvent.Properties.TryGetValue(MaranLogging.ConsoleProperty, out LogEventPropertyValue? value))
        {
            toConsole = value is not ScalarValue { Value: false };
            logEvent.RemovePropertyIfPresent(MaranLogging.ConsoleProperty);
        }

        if (toConsole)
        {
            console?.Emit(logEvent);
        }

        pipeline.Emit(logEvent);
    }
}
