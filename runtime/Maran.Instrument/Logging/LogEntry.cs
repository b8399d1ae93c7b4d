using Maran.Instrument.Configuration;

namespace Maran.Instrument.Logging;

/// <summary>One structured log event as the log store keeps it and the dashboard shows it (secrets already masked).</summary>
/// <param name="Timestamp">When it was logged.</param>
/// <param name="Level">DEBUG to CRITICAL.</param>
/// <param name="Message">The rendered message.</param>
/// <param name="Exception">The exception with its stack trace, if one was logged.</param>
/// <param name="TraceId">The W3C trace id it was logged under, if any.</param>
/// <param name="SpanId">The span id it was logged under, if any.</param>
/// <param name="Operation">The monitored operation it was logged in, if known.</param>
/// <param name="Component">That operation's component.</param>
/// <param name="Source">The logger's category (an <c>ILogger&lt;T&gt;</c>'s type), if any.</param>
/// <param name="Properties">Every property of the event, as a JSON object.</param>
public sealed record LogEntry(
    DateTimeOffset Timestamp,
    MonitoringLogLevel Level,
    string Message,
    string? Exception,
    string? TraceId,
    string? SpanId,
    string? Operation,
    string? Component,
    string? Source,
    string Properties);
