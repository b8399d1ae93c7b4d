using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Maran.Instrument;

/// <summary>
/// The structured log: one Serilog logger, enriched with the current monitored call and cleared of secrets, whose
/// events go (while the system runs) to standard error and a rolling file as compact JSON lines, and to the log
/// store. Monitoring's own reports (<see cref="MonitoringDiagnostics"/>) are routed into it while it runs.
/// </summary>
internal sealed class MaranLogging : IMonitoringService, IDisposable
{
    /// <summary>The file name pattern; Serilog puts the date (and a sequence number past the size limit) before the dot.</summary>
    internal const string FileName = "maran-.jsonl";

    private readonly MonitoringOptions _options;
    private readonly LoggingLevelSwitch _level = new(LogEventLevel.Information);
    private readonly ForwardingSink _forward = new();
    private readonly Logger _logger;
    private Logger? _pipeline;
    private Action<string>? _previousReport;
    private Action<string>? _report;

    internal MaranLogging(MonitoringOptions options, LogStore store)
    {
        _options = options;
        Store = store;
        _logger = new LoggerConfiguration()
            .MinimumLevel.ControlledBy(_level)
            .Enrich.With(new OperationContextEnricher())
            .WriteTo.Sink(new RedactingSink(_forward))
            .CreateLogger();
    }

    public string Name => "logging";

    /// <summary>The logger; stable for the system's life, writing only while it runs.</summary>
    internal Serilog.ILogger Logger => _logger;

    internal LogStore Store { get; }

    /// <summary>The folder the rolling file is written to.</summary>
    internal string Directory => Path.GetFullPath(_options.Monitoring.LogsDirectory);

    public void Start()
    {
        LoggingSettings settings = _options.Logging;
        _level.MinimumLevel = LogLevels.ToSerilog(_options.Monitoring.LogLevel);
        var formatter = new RenderedCompactJsonFormatter();
        LoggerConfiguration configuration = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .WriteTo.Sink(new LogStoreSink(Store));
        if (settings.Console)
        {
            configuration = configuration.WriteTo.Console(formatter, standardErrorFromLevel: LogEventLevel.Verbose);
        }

        if (settings.File)
        {
            configuration = configuration.WriteTo.File(
                formatter,
                Path.Combine(Directory, FileName),
                fileSizeLimitBytes: (long)(settings.FileSizeLimitMegabytes * 1024 * 1024),
                rollOnFileSizeLimit: true,
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: settings.RetainedFiles,
                retainedFileTimeLimit: TimeSpan.FromDays(settings.RetainedDays));
        }

        _pipeline = configuration.CreateLogger();
        _forward.Target = _pipeline;

        // Reports go to the log instead of bare standard error; any other sink someone installed keeps receiving them.
        Action<string> previous = MonitoringDiagnostics.Report;
        Action<string> toLog = message => _logger.Warning("{Diagnostic:l}", message);
        _previousReport = previous;
        _report = ReferenceEquals(previous, MonitoringDiagnostics.StandardError)
            ? toLog
            : message =>
            {
                toLog(message);
                previous(message);
            };
        MonitoringDiagnostics.Report = _report;
    }

    public void Stop()
    {
        if (_report is not null && ReferenceEquals(MonitoringDiagnostics.Report, _report))
        {
            MonitoringDiagnostics.Report = _previousReport!;
        }

        _report = null;
        _forward.Target = null;
        Logger? pipeline = Interlocked.Exchange(ref _pipeline, null);
        pipeline?.Dispose();
    }

    public void Dispose()
    {
        Stop();
        _logger.Dispose();
    }
}
