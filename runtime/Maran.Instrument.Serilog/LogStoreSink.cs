using System.Globalization;
using Maran.Instrument.Logging;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace Maran.Instrument;

/// <summary>Turns each (already redacted) event into a <see cref="LogEntry"/> and adds it to the log store.</summary>
internal sealed class LogStoreSink(LogStore store) : ILogEventSink
{
    private static readonly JsonValueFormatter s_json = new(typeTagName: null);

    public void Emit(LogEvent logEvent) => store.Add(ToEntry(logEvent));

    internal static LogEntry ToEntry(LogEvent logEvent)
    {
        using var properties = new StringWriter(CultureInfo.InvariantCulture);
        properties.Write('{');
        string separator = string.Empty;
        foreach ((string name, LogEventPropertyValue value) in logEvent.Properties)
        {
            properties.Write(separator);
            JsonValueFormatter.WriteQuotedJsonString(name, properties);
            properties.Write(':');
            s_json.Format(value, properties);
            separator = ",";
        }

        properties.Write('}');
        return new LogEntry(
            logEvent.Timestamp,
            SerilogLevels.FromSerilog(logEvent.Level),
            logEvent.RenderMessage(CultureInfo.InvariantCulture),
            logEvent.Exception?.ToString(),
            Text(logEvent, "trace_id") ?? (logEvent.TraceId is { } trace && trace != default ? trace.ToHexString() : null),
            Text(logEvent, "span_id") ?? (logEvent.SpanId is { } span && span != default ? span.ToHexString() : null),
            Text(logEvent, "operation"),
            Text(logEvent, "component"),
            Text(logEvent, "SourceContext"),
            properties.ToString());
    }

    private static string? Text(LogEvent logEvent, string property) =>
        logEvent.Properties.TryGetValue(property, out LogEventPropertyValue? value) && value is ScalarValue { Value: { } v }
            ? Convert.ToString(v, CultureInfo.InvariantCulture)
            : null;
}
