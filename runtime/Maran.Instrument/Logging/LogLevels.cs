using Maran.Instrument.Configuration;

namespace Maran.Instrument.Logging;

/// <summary>The toolkit's five levels by the names users write and read.</summary>
internal static class LogLevels
{
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
