using System.Diagnostics;
using Maran.Instrument.Alerts;
using Maran.Instrument.Audit;
using Maran.Instrument.Configuration;
using Maran.Instrument.Costs;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Errors;
using Maran.Instrument.Export;
using Maran.Instrument.Features;
using Maran.Instrument.Health;
using Maran.Instrument.Logging;
using Maran.Instrument.Profiling;
using Maran.Instrument.Security;
using Maran.Instrument.Storage;

namespace Maran.Instrument;

/// <summary>
/// The monitoring system: owns the configuration, the profiler and the background services, and gives one
/// snapshot of everything it knows. Monitored calls are counted from the first call whether or not a system has
/// started; <see cref="Start"/> applies the configuration and starts the background work.
/// </summary>
/// <example>
/// <code>
/// var monitoring = AdvancedMonitoringSystem.Default;
/// monitoring.Start();
/// // ... run the agent ...
/// Console.WriteLine(monitoring.Profiler.GetPerformanceSummary().Operations[0].P95Ms);
/// monitoring.Stop();
/// </code>
/// </example>
public sealed class AdvancedMonitoringSystem : IDisposable
{
    private static readonly object s_defaultGate = new();
    private static AdvancedMonitoringSystem? s_default;

    private readonly object _gate = new();
    private readonly IReadOnlyList<ConfigurationError> _loadErrors;
    private readonly List<IMonitoringService> _services = [];
    private readonly List<object> _components = [];
    private readonly TimeProvider _time;
    private long _startedTimestamp;
    private bool _running;
    private StopOnExit? _stopOnExit;
    private LogCipher? _logCipher;
    private ServiceIdentity? _identity;

    /// <summary>Creates a system configured from <c>monitoring_config.yaml</c> and the <c>MARAN_*</c> variables.</summary>
    public AdvancedMonitoringSystem()
        : this(configure: null)
    {
    }

    /// <summary>
    /// Creates a system configured from <c>monitoring_config.yaml</c> and the <c>MARAN_*</c> variables, then by
    /// <paramref name="configure"/>. Problems in the file or variables surface when <see cref="Start"/> is called.
    /// </summary>
    public AdvancedMonitoringSystem(Action<MonitoringOptions>? configure)
        : this(Load(configure), TimeProvider.System)
    {
    }

    /// <summary>Creates a system with exactly <paramref name="options"/>; no file or variable is read.</summary>
    public AdvancedMonitoringSystem(MonitoringOptions options)
        : this(options, TimeProvider.System)
    {
    }

    /// <summary>Creates a system with <paramref name="options"/> bound from configuration; <paramref name="loadErrors"/> surface when <see cref="Start"/> is called.</summary>
    internal AdvancedMonitoringSystem(MonitoringOptions options, IReadOnlyList<ConfigurationError> loadErrors)
        : this((options ?? throw new ArgumentNullException(nameof(options)), loadErrors), TimeProvider.System)
    {
    }

    /// <summary>
    /// Creates a system with <paramref name="options"/> bound from configuration and <paramref name="features"/> (those a
    /// host's builder added, beside the registered ones); <paramref name="loadErrors"/> surface when <see cref="Start"/> is called.
    /// </summary>
    internal AdvancedMonitoringSystem(MonitoringOptions options, IReadOnlyList<ConfigurationError> loadErrors, IEnumerable<MaranFeature> features)
        : this((options ?? throw new ArgumentNullException(nameof(options)), loadErrors), TimeProvider.System, features)
    {
    }

    /// <summary>Creates a system with exactly <paramref name="options"/> whose background work keeps time by <paramref name="time"/>.</summary>
    internal AdvancedMonitoringSystem(MonitoringOptions options, TimeProvider time)
        : this((options ?? throw new ArgumentNullException(nameof(options)), []), time)
    {
    }

    private AdvancedMonitoringSystem((MonitoringOptions Options, IReadOnlyList<ConfigurationError> Errors) loaded, TimeProvider time)
        : this(loaded, time, MaranFeatures.Registered)
    {
    }

    /// <summary>Creates a system with exactly <paramref name="options"/> and <paramref name="features"/>, keeping time by <paramref name="time"/>.</summary>
    internal AdvancedMonitoringSystem(MonitoringOptions options, TimeProvider time, IEnumerable<MaranFeature> features)
        : this((options ?? throw new ArgumentNullException(nameof(options)), []), time, features)
    {
    }

    // Builds the core, then asks each feature what it contributes: the storage and token counter the core's
    // parts are built with, alert channels, and components built from the finished core.
    private AdvancedMonitoringSystem((MonitoringOptions Options, IReadOnlyList<ConfigurationError> Errors) loaded, TimeProvider time, IEnumerable<MaranFeature> features)
    {
        Options = loaded.Options;
        _loadErrors = loaded.Errors;
        _time = time;
        FeatureContributions contributions = FeatureContributions.From(features);
        Features = contributions.Features;
        HealthMonitor = new SystemHealthMonitor(Options.Monitoring, time);
        Profiler = new PerformanceProfiler(HealthMonitor);
        Storage = contributions.Storage?.Invoke(Options, time) ?? new InMemoryStorage();
        Logs = new LogStore(Storage.Logs, () => Options.Logging, () => _logCipher);
        ErrorTracker = new ErrorTracker(Options, Storage.Errors, time);
        CostTracker = new CostTracker(Options, Storage.Costs, time, gpu: new HealthGpuUtilization(HealthMonitor), tokenizers: contributions.Tokenizers);
        Audit = new AuditTrail(Options, CostTracker, time);

        // The audit trail stops after the trackers whose last records it writes, and before the storage.
        AddService(Storage);
        AddService(Audit);
        AddService(ErrorTracker);
        AddService(CostTracker);
        AddService(HealthMonitor);
        AddService(new CallRateSampler(Profiler, time));
        Alerts = new AlertEngine(Options, Storage.AlertHistory, time, contributions.AlertChannels);
        HealthMetricConnection.Connect(Alerts.Metrics, HealthMonitor);
        CostMetricConnection.Connect(Alerts.Metrics, CostTracker);
        AddService(Alerts);
        Telemetry = new TelemetrySources(HealthMonitor, ErrorTracker, CostTracker, Alerts, Options);
        foreach (FeatureComponent component in contributions.Components)
        {
            object created = component.Create(this);
            _components.Add(created);
            if (created is IMonitoringService service)
            {
                AddService(service, component.StartsFirst);
            }
        }
    }

    /// <summary>
    /// The process-wide system: the one <see cref="SetDefault"/> made default (as <c>AddMaranMonitoring()</c> does),
    /// else one created on first use, configured from <c>monitoring_config.yaml</c> and the environment.
    /// </summary>
    public static AdvancedMonitoringSystem Default
    {
        get
        {
            if (Volatile.Read(ref s_default) is { } system)
            {
                return system;
            }

            lock (s_defaultGate)
            {
                return s_default ??= new AdvancedMonitoringSystem();
            }
        }
    }

    /// <summary>
    /// Makes <paramref name="system"/> the process-wide <see cref="Default"/>. Call it before the default system is
    /// started; a default that was created but never started is replaced (calls are counted in the process either way).
    /// </summary>
    /// <exception cref="InvalidOperationException">Another system is already the default and has been started.</exception>
    public static void SetDefault(AdvancedMonitoringSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        lock (s_defaultGate)
        {
            if (s_default is { } current && !ReferenceEquals(current, system) && current.IsRunning)
            {
                throw new InvalidOperationException(
                    "AdvancedMonitoringSystem.Default was already started before another system was made the default: " +
                    "configure the default (for example with services.AddMaranMonitoring()) before anything calls AdvancedMonitoringSystem.Default.Start(), or stop it first.");
            }

            Volatile.Write(ref s_default, system);
        }
    }

    /// <summary>
    /// Whether <see cref="Start"/> registers handlers that stop the system when the process exits or SIGTERM, SIGINT
    /// or SIGHUP ends it (the default). A host that owns the process's lifetime, such as the Generic Host under
    /// <c>AddMaranMonitoring()</c>, turns it off and stops the system itself.
    /// </summary>
    public bool StopOnProcessExit { get; set; } = true;

    /// <summary>The configuration; change it before <see cref="Start"/>.</summary>
    public MonitoringOptions Options { get; }

    /// <summary>The performance profiler: per-operation counts, percentiles and rates.</summary>
    public PerformanceProfiler Profiler { get; }

    /// <summary>Errors of monitored calls and of <see cref="ErrorTracker.TrackError(string, ErrorSeverity, string, string, Exception?, IReadOnlyDictionary{string, string}?)"/>: categories, groups, analytics.</summary>
    public ErrorTracker ErrorTracker { get; }

    /// <summary>Tokens, model and compute costs, budgets: priced from <c>costs:</c> in the configuration.</summary>
    public CostTracker CostTracker { get; }

    /// <summary>
    /// Recent log events in memory and, with a storage feature, a search of all of them (the dashboard's Logs
    /// section). A logging feature (Maran.Instrument.Serilog) feeds it.
    /// </summary>
    public LogStore Logs { get; }

    /// <summary>The features this system was built with, in registration order (<see cref="MaranFeatures"/>).</summary>
    public IReadOnlyList<string> Features { get; }

    /// <summary>Where the exporters read health, error and cost figures that other parts own.</summary>
    internal ITelemetrySources Telemetry { get; }

    /// <summary>The system health monitor: CPU, memory, disk and GPU readings, the health score and its history. Samples between <see cref="Start"/> and <see cref="Stop"/>.</summary>
    public SystemHealthMonitor HealthMonitor { get; }

    /// <summary>Alerting: threshold rules, their alerts, silences, notification channels and the alert history.</summary>
    public AlertEngine Alerts { get; }

    /// <summary>
    /// The audit trail of <c>production.security.audit_all_operations</c>; a dashboard records its authentication
    /// failures and writes here (<see cref="AuditTrail.RecordAuthenticationFailure"/>, <see cref="AuditTrail.RecordDashboardWrite"/>).
    /// </summary>
    internal AuditTrail Audit { get; }

    /// <summary>The key that encrypts log records at rest (<c>production.security.encrypt_logs</c>), from the last <see cref="Start"/>; null when logs are not encrypted.</summary>
    internal LogCipher? LogCipher => Volatile.Read(ref _logCipher);

    /// <summary>Where errors, costs, logs and alert history are kept beyond memory; memory only without a storage feature.</summary>
    internal IMonitoringStorage Storage { get; }

    /// <summary>
    /// The certificate the toolkit's own servers present under <c>production.ssl_enabled</c>, read and checked by
    /// <see cref="Start"/>; null before, and when TLS is off.
    /// </summary>
    internal ServerCertificate? ServerCertificate { get; private set; }

    /// <summary>
    /// Which service and instance this process is (<c>service.name</c>, <c>service.instance.id</c>): resolved once at
    /// <see cref="Start"/> from <c>OTEL_SERVICE_NAME</c> and <c>OTEL_RESOURCE_ATTRIBUTES</c>, else <c>monitoring.service</c>
    /// and <c>monitoring.instance</c>, else the entry assembly and <c>host:pid</c>; before start, what it would resolve to now.
    /// </summary>
    public ServiceIdentity Identity =>
        Volatile.Read(ref _identity) ?? ServiceIdentity.Resolve(Options.Monitoring, Environment.GetEnvironmentVariables());

    /// <summary>Whether <see cref="Start"/> has been called and <see cref="Stop"/> has not.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    /// <summary>
    /// Checks the configuration, applies it to the interceptors (sampling, call trees, tracing) and starts the
    /// background services. Calling it again while running does nothing. From then on the system stops itself, writing
    /// what it accepted, when the process exits or SIGTERM, SIGINT or SIGHUP ends it; a program that cancels those
    /// signals to shut down on its own (a handler registered after this call, or the Generic Host's) calls
    /// <see cref="Stop"/> when it is done.
    /// </summary>
    /// <exception cref="MonitoringConfigurationException">
    /// The configuration is invalid, or under <c>production.ssl_enabled</c> the certificate or its key is missing,
    /// unreadable, expired, not valid yet or mismatched; the message names every bad key, its value (the file) and why.
    /// </exception>
    public void Start()
    {
        lock (_gate)
        {
            if (_running)
            {
                return;
            }

            IReadOnlyList<ConfigurationError> errors = Check(Options, _loadErrors, HealthMonitor, Environment.GetEnvironmentVariable, out LogCipher? cipher);
            if (errors.Count == 0)
            {
                var certificates = new OptionsBinder(Options.ConfigurationRoot);
                ServerCertificate? certificate = global::Maran.Instrument.Security.ServerCertificate.Load(Options, certificates, _time);
                errors = certificates.Errors;
                if (errors.Count == 0)
                {
                    ServerCertificate?.Dispose();
                    ServerCertificate = certificate;
                }
            }

            if (errors.Count > 0)
            {
                throw new MonitoringConfigurationException(errors);
            }

            Volatile.Write(ref _logCipher, cipher);
            if (cipher is not null && Options.Logging.Console)
            {
                MonitoringDiagnostics.Warn("[maran] production.security.encrypt_logs is on and logging.console is on: events still reach standard error as plain text. Set logging.console: false where standard error is kept on disk.");
            }

            if (_identity is null)
            {
                Volatile.Write(ref _identity, ServiceIdentity.Resolve(Options.Monitoring, Environment.GetEnvironmentVariables()));
            }

            if (Options.SampleIntervalOverride is { } overridden)
            {
                MonitoringDiagnostics.Warn($"[maran] monitoring.sampling.rate {Options.Monitoring.Sampling.Rate} is not applied: {overridden}.");
            }

            ApplyRuntimeSwitches(Options.Monitoring, Options.EffectiveSampleInterval);
            GenAIContent.Configure(Options.Monitoring.CaptureContent, Logs);

            StartServices();
            _startedTimestamp = Stopwatch.GetTimestamp();
            _running = true;
            if (StopOnProcessExit)
            {
                _stopOnExit ??= new StopOnExit(Stop);
            }
        }
    }

    // Starts the services in order. One that fails to start stops the ones already started, newest first, so a Start()
    // that throws leaves no thread, port or file behind and can be called again once its cause is fixed.
    private void StartServices()
    {
        int started = 0;
        try
        {
            for (; started < _services.Count; started++)
            {
                _services[started].Start();
            }
        }
        catch
        {
            GenAIContent.Detach(Logs);
            for (int i = started - 1; i >= 0; i--)
            {
                try
                {
                    _services[i].Stop();
                }
                catch (Exception ex)
                {
                    MonitoringDiagnostics.InternalError($"stopping {_services[i].Name} after a failed start", ex);
                }
            }

            throw;
        }
    }

    /// <summary>Stops the background services, flushing everything they had accepted. Calling it again does nothing.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            if (!_running)
            {
                return;
            }

            _running = false;
            GenAIContent.Detach(Logs);
            for (int i = _services.Count - 1; i >= 0; i--)
            {
                try
                {
                    _services[i].Stop();
                }
                catch (Exception ex)
                {
                    MonitoringDiagnostics.InternalError($"stopping {_services[i].Name}", ex);
                }
            }
        }

        // What the services reported while they stopped reaches its sink before Stop returns.
        MonitoringDiagnostics.Flush();
    }

    /// <summary>Stops the system.</summary>
    public void Dispose()
    {
        Stop();
        Audit.Dispose();
        foreach (IDisposable component in _components.OfType<IDisposable>())
        {
            component.Dispose();
        }

        lock (_gate)
        {
            _stopOnExit?.Dispose();
            _stopOnExit = null;
            ServerCertificate?.Dispose();
            ServerCertificate = null;
        }
    }

    /// <summary>
    /// Makes what was recorded before the call visible to the reads, which never wait: the errors grouped and the costs
    /// priced by their background loops and written to the storage. Waits at most <paramref name="timeout"/> (5 s when
    /// null) for each tracker; false when the time ran out first.
    /// </summary>
    public bool Flush(TimeSpan? timeout = null)
    {
        bool errors = ErrorTracker.Flush(timeout);
        return CostTracker.Flush(timeout) && errors;
    }

    /// <summary>Completes when what was recorded before the call is visible to the reads, as <see cref="Flush"/> waits for.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await ErrorTracker.FlushAsync(cancellationToken).ConfigureAwait(false);
        await CostTracker.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One snapshot of everything the system knows, serialisable with System.Text.Json; pure reads that do not wait for work still queued (see <see cref="Flush"/>).</summary>
    public DashboardData GetDashboardData()
    {
        long started;
        bool running;
        lock (_gate)
        {
            started = _startedTimestamp;
            running = _running;
        }

        return new DashboardData
        {
            Timestamp = DateTimeOffset.UtcNow,
            IsRunning = running,
            UptimeSeconds = started == 0 ? 0 : Stopwatch.GetElapsedTime(started).TotalSeconds,
            Performance = Profiler.GetPerformanceSummary(),
            Errors = ErrorTracker.GetErrorAnalytics(),
            Costs = CostTracker.GetCostSummary(),
            Health = HealthMonitor.Latest,
            Alerts = Alerts.GetActiveAlerts(),
            Internal = new InternalStatus
            {
                InternalErrors = new Dictionary<string, long>(MonitoringDiagnostics.InternalErrors),
                Dropped = new Dictionary<string, long>(MonitoringDiagnostics.Dropped),
                Storage = Storage.GetStatus(),
            },
        };
    }

    /// <summary>The component of type <typeparamref name="T"/> a feature contributed; null when none did.</summary>
    internal T? Component<T>()
        where T : class => _components.OfType<T>().FirstOrDefault();

    /// <summary>Adds a background service started and stopped with the system; one that starts first stops last.</summary>
    internal void AddService(IMonitoringService service, bool startsFirst = false)
    {
        lock (_gate)
        {
            if (startsFirst)
            {
                _services.Insert(0, service);
            }
            else
            {
                _services.Add(service);
            }

            if (_running)
            {
                service.Start();
            }
        }
    }

    /// <summary>
    /// Everything <see cref="Start"/> checks before it starts anything: the load problems, else every value, the health
    /// settings, the log encryption key and the audit folder. Gives the log cipher when logs are encrypted.
    /// </summary>
    internal static IReadOnlyList<ConfigurationError> Check(MonitoringOptions options, IReadOnlyList<ConfigurationError> loadErrors, SystemHealthMonitor health, Func<string, string?> variable, out LogCipher? cipher)
    {
        cipher = null;
        if (loadErrors.Count > 0)
        {
            return loadErrors;
        }

        IReadOnlyList<ConfigurationError> errors = options.Validate(new OptionsBinder(options.ConfigurationRoot));
        if (errors.Count == 0)
        {
            errors = health.Validate(new OptionsBinder(options.ConfigurationRoot));
        }

        if (errors.Count == 0)
        {
            var binder = new OptionsBinder(options.ConfigurationRoot);
            cipher = SecurityChecks.Check(options.ProductionSecurity, binder, variable);
            errors = binder.Errors;
        }

        return errors;
    }

    private static (MonitoringOptions, IReadOnlyList<ConfigurationError>) Load(Action<MonitoringOptions>? configure)
    {
        MonitoringOptions options = MonitoringOptions.LoadCollectingErrors(path: null, environment: null, out IReadOnlyList<ConfigurationError> errors);
        configure?.Invoke(options);
        return (options, errors);
    }

    private static void ApplyRuntimeSwitches(MonitoringSettings settings, int sampleInterval)
    {
        MonitoringRuntime.SampleInterval = sampleInterval;
        MonitoringRuntime.AllocationSampleInterval = settings.Sampling.AllocationRate;
        MonitoringRuntime.CpuTimeSampleInterval = settings.Sampling.CpuTimeRate;
        MonitoringRuntime.CallTreeEnabled = settings.CallTree;
        MonitoringRuntime.TracingEnabled = settings.Tracing;
        MonitoringRuntime.Enabled = settings.Enabled;
        OperationRegistry.MaxOperations = settings.MaxOperations;
    }
}

/// <summary>Everything the monitoring system knows at one moment.</summary>
public sealed record DashboardData
{
    /// <summary>When the snapshot was taken.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Whether the system is running.</summary>
    public required bool IsRunning { get; init; }

    /// <summary>Seconds since the system started; 0 if it has not.</summary>
    public required double UptimeSeconds { get; init; }

    /// <summary>Every operation's performance.</summary>
    public required PerformanceSummary Performance { get; init; }

    /// <summary>Errors of the last 24 hours.</summary>
    public required ErrorAnalytics Errors { get; init; }

    /// <summary>Costs of the last 24 hours.</summary>
    public required CostSummary Costs { get; init; }

    /// <summary>The system's health from the latest sample (CPU, memory, disk, GPU, score); null before the first sample.</summary>
    public HealthStatus? Health { get; init; }
    /// <summary>Alerts now pending or firing, most severe first.</summary>
    public IReadOnlyList<Alert> Alerts { get; init; } = [];

    /// <summary>The health of the monitoring itself.</summary>
    public required InternalStatus Internal { get; init; }
}

/// <summary>Failures and drops inside the monitoring itself.</summary>
public sealed record InternalStatus
{
    /// <summary>Internal errors by kind (<c>maran_internal_errors_total</c>).</summary>
    public required IReadOnlyDictionary<string, long> InternalErrors { get; init; }

    /// <summary>Items dropped from full queues, by queue (<c>maran_dropped_total</c>).</summary>
    public required IReadOnlyDictionary<string, long> Dropped { get; init; }

    /// <summary>The storage: where it is, whether it is usable, what it wrote, dropped and lost.</summary>
    public required StorageStatus Storage { get; init; }
}
