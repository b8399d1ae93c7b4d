using Serilog.Events;

namespace Maran.Instrument;

/// <summary>The toolkit's five levels (DEBUG..CRITICAL) and Serilog's, both ways.</summary>
internal static class LogLevels
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

    /// <summary>The name users write and read: DEBUG, INFO, WARNING, ERROR or CRITICAL.</summary>
    internal static string Name(MonitoringLogLevel level) => level switch
    {
        MonitoringLogLevel.Debug => "DEBUG",
        MonitoringLogLevel.Info => "INFO",
        MonitoringLogLevel.Warning => "WARNING",
        MonitoringLogLevel.Error => "ERROR",
        _ => "CRITICAL",
    };
}
