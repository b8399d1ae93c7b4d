using Maran.Instrument.Configuration;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Export;
using Maran.Instrument.Logging;
using Maran.Instrument.Security;
using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;

namespace Maran.Instrument;

/// <summary>
/// The structured log: one Serilog logger, enriched with the service identity and the current monitored call and
/// cleared of secrets, whose
/// events go (while the system runs) to standard error and a rolling file as compact JSON lines, and to the log
/// store. Monitoring's own reports (<see cref="MonitoringDiagnostics"/>) are routed into it while it runs.
/// </summary>
internal sealed class MaranLogging : IMonitoringService, IDisposable
{
    /// <summary>The file name pattern; Serilog puts the date (and a sequence number past the size limit) before the dot.</summary>
    internal const string FileName = "maran-.jsonl";

    /// <summary>
    /// The property an application's <c>ILogger</c> events carry (false) when they stay off the console: the app has
    /// console logging of its own, and the same line twice helps no one. Removed before any sink sees the event.
    /// </summary>
    internal const string ConsoleProperty = "MaranConsole";

    private readonly MonitoringOptions _options;
    private readonly Func<LogCipher?> _cipher;
    private readonly LoggingLevelSwitch _level = new(LogEventLevel.Information);
    private readonly ForwardingSink _forward = new();
    private readonly Logger _logger;
    private Logger? _pipeline;
    private Logger? _console;
    private Action<string>? _previousReport;
    private Action<string>? _report;

    /// <param name="options">The system's options.</param>
    /// <param name="store">The system's log store.</param>
    /// <param name="identity">Which service and instance this process is, once the system has started.</param>
    /// <param name="cipher">The key that encrypts the log files, once the system has started; null when they are plain.</param>
    internal MaranLogging(MonitoringOptions options, LogStore store, Func<ServiceIdentity> identity, Func<LogCipher?>? cipher = null)
    {
        _options = options;
        _cipher = cipher ?? (static () => null);
        Store = store;
        _logger = new LoggerConfiguration()
            .MinimumLevel.ControlledBy(_level)
            .Enrich.With(new OperationContextEnricher())
            .Enrich.With(new ServiceIdentityEnricher(identity))
            .WriteTo.Sink(new RedactingSink(_forward))
            .CreateLogger();
    }

    public string Name => "logging";

    /// <summary>The logger; stable for the system's life, writing only while it runs.</summary>
    internal Serilog.ILogger Logger => _logger;

    internal LogStore Store { get; }

    /// <summary>
    /// The logger an application's <c>ILogger</c> events enter by: the same log, on the console only when
    /// <paramref name="toConsole"/>.
    /// </summary>
    internal Serilog.ILogger AppLogger(bool toConsole) => toConsole ? _logger : _logger.ForContext(ConsoleProperty, false);

    /// <summary>The folder the rolling file is written to.</summary>
    internal string Directory => Path.GetFullPath(_options.Monitoring.LogsDirectory);

    public void Start()
    {
        LoggingSettings settings = _options.Logging;
        _level.MinimumLevel = SerilogLevels.ToSerilog(_options.EffectiveLogLevel);
        var formatter = new RenderedCompactJsonFormatter();
        ITextFormatter fileFormatter = _cipher() is { } cipher ? new EncryptingFormatter(formatter, cipher) : formatter;
        LoggerConfiguration configuration = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .WriteTo.Sink(new LogStoreSink(Store));
        Logger? console = settings.Console
            ? new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Console(formatter, standardErrorFromLevel: LogEventLevel.Verbose).CreateLogger()
            : null;

        if (settings.File && CannotWrite(Directory) is { } problem)
        {
            MonitoringDiagnostics.Warn(
                $"[maran] the log folder {Directory} cannot be written ({problem}); log files are off, and events still reach " +
                (settings.Console ? "the console and " : string.Empty) + "the dashboard's log store. Set monitoring.logs_dir or MARAN_LOGS_DIR to a writable folder.");
        }
        else if (settings.File)
        {
            // A write that fails later (a full disk) is reported once while the program runs, not lost in silence.
            configuration = configuration.WriteTo.Sink(LoggerSinkConfiguration.Wrap(
                file => new FailureReportingSink(LogFileKind(Directory), file),
                to => to.File(
                    fileFormatter,
                    Path.Combine(Directory, FileName),
                    fileSizeLimitBytes: (long)(settings.FileSizeLimitMegabytes * 1024 * 1024),
                    rollOnFileSizeLimit: true,
                    rollingInterval: RollingInterval.Day,
                    retainedFileCountLimit: settings.RetainedFiles,
                    retainedFileTimeLimit: TimeSpan.FromDays(settings.RetainedDays))));
        }

        _pipeline = configuration.CreateLogger();
        _console = console;
        _forward.Target = new ConsoleChoiceSink(console, _pipeline);

        // Reports go to the log. They replace bare standard error only when the log itself is on the console: a
        // report (the database or the log folder cannot be written, a port is taken) must reach a person even
        // when the file it would be logged to is the thing that failed. Any other sink someone installed keeps them.
        Action<string> previous = MonitoringDiagnostics.Report;
        Action<string> toLog = message => _logger.Warning("{Diagnostic:l}", message);
        _previousReport = previous;
        _report = ReferenceEquals(previous, MonitoringDiagnostics.StandardError) && settings.Console
            ? toLog
            : message =>
            {
                toLog(message);
                previous(message);
            };
        MonitoringDiagnostics.Report = _report;
    }

    /// <summary>The internal-error kind a failing log file in <paramref name="directory"/> is counted and reported under.</summary>
    internal static string LogFileKind(string directory) => $"the log file in {directory}";

    // The file sink fails silently when its folder cannot be written, so the folder is tried first.
    private static string? CannotWrite(string directory)
    {
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            string probe = Path.Combine(directory, ".maran-write-test-" + Environment.ProcessId);
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex.Message.TrimEnd('.');
        }
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
        Logger? console = Interlocked.Exchange(ref _console, null);
        console?.Dispose();
    }

    public void Dispose()
    {
        Stop();
        _logger.Dispose();
    }
}
