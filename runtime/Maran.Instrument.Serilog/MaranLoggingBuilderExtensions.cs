using Maran.Instrument;
using Serilog.Extensions.Logging;

namespace Microsoft.Extensions.Logging;

/// <summary>Sends an app's <c>ILogger</c> logs through Maran.Instrument's structured log.</summary>
public static class MaranLoggingBuilderExtensions
{
    /// <summary>
    /// Adds the monitoring system's log as a logging provider: every <c>ILogger</c> event gets the same JSON lines,
    /// trace and operation enrichment, secret masking and searchable store as the toolkit's own events. They go to
    /// the log file and the store, not to the console: the app's own console logging already shows them, and a
    /// line printed twice helps no one. Pass <paramref name="writeToConsole"/> to have the JSON lines on standard
    /// error too (an app that has removed its own console provider).
    /// </summary>
    /// <param name="builder">The app's logging builder.</param>
    /// <param name="system">The monitoring system; <see cref="AdvancedMonitoringSystem.Default"/> when null.</param>
    /// <param name="writeToConsole">Also write the app's events to standard error as JSON lines (off by default).</param>
    public static ILoggingBuilder AddMaranLogging(this ILoggingBuilder builder, AdvancedMonitoringSystem? system = null, bool writeToConsole = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddProvider(new SerilogLoggerProvider((system ?? AdvancedMonitoringSystem.Default).Logging.AppLogger(writeToConsole), dispose: false));
    }
}
