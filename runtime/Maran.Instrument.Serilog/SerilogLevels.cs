using Maran.Instrument.Configuration;
using Serilog.Events;

namespace Maran.Instrument;

/// <summary>The toolkit's five levels (DEBUG..CRITICAL) and Serilog's, both ways.</summary>
internal static class SerilogLevels
{
    internal static LogEventLevel ToSerilog(MonitoringLogLevel level) => level switch
    {
        MonitoringLogLevel.Debug => LogEventLevel.Debug,
        MonitoringLogLevel.Info => LogEventLevel.Information,
        MonitoringLogLevel.Warning => LogEventLevel.Warning,
        MonitoringLogLevel.Error => LogEventLevel.Error,
        _ => LogEventLevel.Fatal,
    };

    /// <summary>Verbose counts as DEBUG and Fatal as CRITICAL.</summary>
    internal static MonitoringLogLevel FromSerilog(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => MonitoringLogLevel.Debug,
        LogEventLevel.Information => MonitoringLogLevel.Info,
        LogEventLevel.Warning => MonitoringLogLevel.Warning,
        LogEventLevel.Error => MonitoringLogLevel.Error,
        _ => MonitoringLogLevel.Critical,
    };
}
