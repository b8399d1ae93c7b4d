using Maran.Instrument;
using Serilog.Extensions.Logging;

namespace Microsoft.Extensions.Logging;

/// <summary>Sends an app's <c>ILogger</c> logs through Maran.Instrument's structured log.</summary>
public static class MaranLoggingBuilderExtensions
{
    /// <summary>
    /// Adds the monitoring system's log as a logging provider: every <c>ILogger</c> event gets the same JSON lines,
    /// trace and operation enrichment, secret masking and searchable store as the toolkit's own events.
    /// </summary>
    /// <param name="builder">The app's logging builder.</param>
    /// <param name="system">The monitoring system; <see cref="AdvancedMonitoringSystem.Default"/> when null.</param>
    public static ILoggingBuilder AddMaranLogging(this ILoggingBuilder builder, AdvancedMonitoringSystem? system = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddProvider(new SerilogLoggerProvider((system ?? AdvancedMonitoringSystem.Default).Logger, dispose: false));
    }
}
