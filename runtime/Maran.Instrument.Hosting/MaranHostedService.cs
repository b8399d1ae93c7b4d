using Maran.Instrument.Configuration;
using Maran.Instrument.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Maran.Instrument.Hosting;

/// <summary>
/// Starts the monitoring system when the host starts (an invalid configuration fails the start, naming each key, value
/// and source) and stops it when the host stops, writing what it had accepted. While it runs, the system's own
/// diagnostics go to the host's logging as category <c>Maran.Instrument</c>.
/// </summary>
internal sealed partial class MaranHostedService(AdvancedMonitoringSystem system, ILoggerFactory? loggerFactory = null) : IHostedService
{
    private readonly ILogger _logger = (ILogger?)loggerFactory?.CreateLogger("Maran.Instrument") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    private Action<string>? _previousReport;
    private Action<string>? _report;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (loggerFactory is not null)
        {
            _previousReport = MonitoringDiagnostics.Report;
            _report = message => LogDiagnostic(_logger, message);
            MonitoringDiagnostics.Report = _report;
        }

        try
        {
            system.Start();
        }
        catch (MonitoringConfigurationException)
        {
            RestoreReport();
            throw;
        }

        LogStarted(_logger, system.Options.Monitoring.MetricsPort);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        system.Stop();
        LogStopped(_logger);
        RestoreReport();
        return Task.CompletedTask;
    }

    private void RestoreReport()
    {
        if (_report is not null && ReferenceEquals(MonitoringDiagnostics.Report, _report))
        {
            MonitoringDiagnostics.Report = _previousReport!;
        }

        _report = null;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Diagnostic}")]
    private static partial void LogDiagnostic(ILogger logger, string diagnostic);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Maran.Instrument monitoring started (metrics port {MetricsPort})")]
    private static partial void LogStarted(ILogger logger, int metricsPort);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Maran.Instrument monitoring stopped; accepted records written")]
    private static partial void LogStopped(ILogger logger);
}
