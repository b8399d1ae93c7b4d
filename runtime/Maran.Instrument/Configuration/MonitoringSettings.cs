using Maran.Instrument.Export;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;
using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>Log levels, as the configuration and <c>MARAN_LOG_LEVEL</c> name them.</summary>
public enum MonitoringLogLevel
{
    /// <summary>Everything, for diagnosing the monitoring itself.</summary>
    Debug,

    /// <summary>Normal operation.</summary>
    Info,

    /// <summary>Something is off but monitoring continues.</summary>
    Warning,

    /// <summary>A failure.</summary>
    Error,

    /// <summary>A failure that stops a part of monitoring.</summary>
    Critical,
}

/// <summary>The <c>monitoring:</c> section of <c>monitoring_config.yaml</c>.</summary>
public sealed class MonitoringSettings
{
    /// <summary>Port of the Prometheus <c>/metrics</c> endpoint (<c>MARAN_METRICS_PORT</c>); 0 picks a free port.</summary>
    [ConfigurationKeyName("metrics_port")]
    public int MetricsPort { get; set; } = 9090;

    /// <summary>
    /// Address the <c>/metrics</c> endpoint listens on (<c>MARAN_METRICS_HOST</c>): <c>127.0.0.1</c> by default, another
    /// IP address, or <c>*</c> (also <c>0.0.0.0</c>) for every interface, as a container that Prometheus scrapes needs.
    /// The endpoint has no access control: open it only on a network you trust.
    /// </summary>
    [ConfigurationKeyName("metrics_host")]
    public string MetricsHost { get; set; } = "127.0.0.1";

    /// <summary>
    /// Put before every Prometheus metric name (for example <c>maran_</c>); empty by default, keeping the seed's
    /// names (<c>operation_duration_seconds</c>, ...). Letters, digits, '_' and ':', not starting with a digit.
    /// </summary>
    [ConfigurationKeyName("metrics_prefix")]
    public string MetricsPrefix { get; set; } = string.Empty;

    /// <summary>
    /// Most operations published on <c>/metrics</c> (2,000; 1 to 1,000,000), to bound the series a Prometheus server must hold.
    /// Operations take a slot when first seen to have run and keep it; the rest are counted in <c>maran_dropped_total</c>.
    /// </summary>
    [ConfigurationKeyName("metrics_max_operations")]
    public int MetricsMaxOperations { get; set; } = MetricLabels.DefaultMaxOperations;

    /// <summary>The default of <see cref="MaxOperations"/>.</summary>
    public const int DefaultMaxOperations = OperationRegistry.DefaultMaxOperations;

    /// <summary>The least and the most <see cref="MaxOperations"/> accepted; the most bounds <see cref="MetricsMaxOperations"/> too.</summary>
    internal const int MaxOperationsFloor = 16, MaxOperationsCeiling = 1_000_000;

    /// <summary>
    /// Most operations the manual API (<c>profiler.Operation(name, component)</c>) creates (<c>monitoring.max_operations</c>,
    /// 4,096; 16 to 1,000,000), to bound the memory of names made up at run time. Operations of the source code
    /// (<see cref="MonitorOperationAttribute"/>, generated interceptors) are not counted; past the bound, further names are
    /// counted together as <c>(other)</c> in their component, and each folded name is counted in
    /// <c>maran_dropped_total{queue="operations"}</c>. Applied to the process-wide registry when the monitoring system starts.
    /// </summary>
    [ConfigurationKeyName("max_operations")]
    public int MaxOperations { get; set; } = DefaultMaxOperations;

    /// <summary>Port of the dashboard on 127.0.0.1 (<c>MARAN_DASHBOARD_PORT</c>); 0 picks a free port.</summary>
    [ConfigurationKeyName("dashboard_port")]
    public int DashboardPort { get; set; } = 8080;

    /// <summary>Seconds between system health checks (<c>MARAN_HEALTH_CHECK_INTERVAL</c>): 0.1 to 86,400 (one day).</summary>
    [ConfigurationKeyName("health_check_interval")]
    public double HealthCheckInterval { get; set; } = 30;

    /// <summary>Least severe level that is logged (<c>MARAN_LOG_LEVEL</c>): DEBUG, INFO, WARNING, ERROR or CRITICAL.</summary>
    [ConfigurationKeyName("log_level")]
    public MonitoringLogLevel LogLevel { get; set; } = MonitoringLogLevel.Info;

    /// <summary>Directory of the SQLite database and other state (<c>MARAN_DATA_DIR</c>), created on first use.</summary>
    [ConfigurationKeyName("data_dir")]
    public string DataDirectory { get; set; } = "./maran-data";

    /// <summary>Directory of the log files (<c>MARAN_LOGS_DIR</c>).</summary>
    [ConfigurationKeyName("logs_dir")]
    public string LogsDirectory { get; set; } = "./logs";

    /// <summary>When false, interceptors call straight through and record nothing.</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary>Whether nested operations record their parent, for call trees. Costs one small allocation per timed call when on.</summary>
    [ConfigurationKeyName("call_tree")]
    public bool CallTree { get; set; }

    /// <summary>Whether monitored calls start OpenTelemetry spans when a listener is attached to the <c>Maran.Instrument</c> source.</summary>
    [ConfigurationKeyName("tracing")]
    public bool Tracing { get; set; } = true;

    /// <summary>
    /// Whether model, tool and agent calls record their content (messages, system instructions, tool arguments and results)
    /// on their spans and in the log store, always redacted: see <see cref="GenAIContent"/>. Off by default;
    /// <c>OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true</c> turns it on too.
    /// </summary>
    [ConfigurationKeyName("capture_content")]
    public bool CaptureContent { get; set; }

    /// <summary>How many calls are timed: see <see cref="SamplingSettings"/>.</summary>
    [ConfigurationKeyName("sampling")]
    public SamplingSettings Sampling { get; set; } = new();

    /// <summary>
    /// Thresholds for system health: <c>cpu_percent</c> (80), <c>memory_percent</c> (85), <c>disk_percent</c> (90), and
    /// any custom key a program feeds a value to. Keys ending in <c>_percent</c> must lie in (0, 100].
    /// </summary>
    [ConfigurationKeyName("health_thresholds")]
    public Dictionary<string, double> HealthThresholds { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["cpu_percent"] = 80,
        ["memory_percent"] = 85,
        ["disk_percent"] = 90,
    };

    /// <summary>How the health monitor scores, which disks it watches, where NVML is: see <see cref="HealthSettings"/>.</summary>
    [ConfigurationKeyName("health")]
    public HealthSettings Health { get; set; } = new();

    /// <summary>
    /// The service's name (<c>service.name</c>) when <c>OTEL_SERVICE_NAME</c> and <c>OTEL_RESOURCE_ATTRIBUTES</c> name none;
    /// the entry assembly's name when unset. See <see cref="ServiceIdentity"/>.
    /// </summary>
    [ConfigurationKeyName("service")]
    public string? Service { get; set; }

    /// <summary>
    /// This instance's id (<c>service.instance.id</c>) when <c>OTEL_RESOURCE_ATTRIBUTES</c> names none; the host name and
    /// process id (<c>host:1234</c>) when unset. See <see cref="ServiceIdentity"/>.
    /// </summary>
    [ConfigurationKeyName("instance")]
    public string? Instance { get; set; }

    /// <summary>The deployment environment (<c>deployment.environment</c>) when <c>OTEL_RESOURCE_ATTRIBUTES</c> names none; none when unset.</summary>
    [ConfigurationKeyName("environment")]
    public string? Environment { get; set; }

    /// <summary>
    /// How many monitored operations (kind <c>operation</c>) this process is sized to run at once; 0 (the default) sets
    /// no limit. With a limit, <c>/metrics</c> exports <c>maran_concurrency_limit</c> and <c>maran_saturation_ratio</c>
    /// (<c>maran_in_flight</c> / the limit), the signal to scale replicas on. At most 1,000,000.
    /// </summary>
    [ConfigurationKeyName("concurrency_limit")]
    public int ConcurrencyLimit { get; set; }

    /// <summary>
    /// Calls one operation, by name, is sized to run at once (<c>answer: 8</c>); its series on <c>/metrics</c> gain
    /// <c>operation_concurrency_limit</c> and <c>operation_saturation_ratio</c> (<c>operation_in_flight</c> / the limit).
    /// Each limit is 1 to 1,000,000.
    /// </summary>
    [ConfigurationKeyName("concurrency_limits")]
    public Dictionary<string, int> ConcurrencyLimits { get; set; } = new(StringComparer.Ordinal);

    private const int MaxMetricsPrefixLength = 100;

    internal void Validate(OptionsBinder binder, string prefix)
    {
        CheckPort(binder, $"{prefix}:metrics_port", MetricsPort);
        binder.CheckRange($"{prefix}:metrics_max_operations", MetricsMaxOperations, 1, MaxOperationsCeiling, "the number of operations published");
        binder.CheckRange($"{prefix}:max_operations", MaxOperations, MaxOperationsFloor, MaxOperationsCeiling, "the number of operations kept");

        if (!IsListenAddress(MetricsHost))
        {
            binder.Error($"{prefix}:metrics_host", MetricsHost, "expected an IP address, localhost, or * (every interface)");
        }

        CheckPort(binder, $"{prefix}:dashboard_port", DashboardPort);
        if (MetricsPrefix is null || !System.Text.RegularExpressions.Regex.IsMatch(MetricsPrefix, "^([a-zA-Z_:][a-zA-Z0-9_:]*)?$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            binder.Error($"{prefix}:metrics_prefix", MetricsPrefix, "a metric name prefix may hold letters, digits, '_' and ':' and must not start with a digit");
        }
        else if (MetricsPrefix.Length > MaxMetricsPrefixLength)
        {
            binder.Error($"{prefix}:metrics_prefix", MetricsPrefix, $"a metric name prefix must be at most {MaxMetricsPrefixLength} characters");
        }

        binder.CheckRange($"{prefix}:health_check_interval", HealthCheckInterval, 0.1, 86_400, "the interval in seconds", minIncluded: true);

        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            binder.Error($"{prefix}:data_dir", DataDirectory, "the data directory must not be empty");
        }

        if (string.IsNullOrWhiteSpace(LogsDirectory))
        {
            binder.Error($"{prefix}:logs_dir", LogsDirectory, "the logs directory must not be empty");
        }

        binder.CheckRange($"{prefix}:concurrency_limit", ConcurrencyLimit, 0, MaxOperationsCeiling, "the calls the process runs at once (0 = no limit)");
        foreach ((string operation, int limit) in ConcurrencyLimits)
        {
            binder.CheckRange($"{prefix}:concurrency_limits:{operation}", limit, 1, MaxOperationsCeiling, "the calls the operation runs at once");
        }

        foreach ((string key, string? value) in (ReadOnlySpan<(string, string?)>)[("service", Service), ("instance", Instance), ("environment", Environment)])
        {
            if (value is not null && (string.IsNullOrWhiteSpace(value) || value.Length > ServiceIdentity.MaxLength))
            {
                binder.Error($"{prefix}:{key}", value, $"expected a name of 1 to {ServiceIdentity.MaxLength} characters, or no value to use the default");
            }
        }

        Sampling.Validate(binder, $"{prefix}:sampling");
        Health.Validate(binder, $"{prefix}:health");
        foreach ((string key, double value) in HealthThresholds)
        {
            ValidateThreshold(binder, $"{prefix}:health_thresholds:{key}", key, value);
        }
    }

    /// <summary>Checks one health threshold: a finite number, and for a <c>_percent</c> key one in (0, 100].</summary>
    internal static void ValidateThreshold(OptionsBinder binder, string path, string key, double value)
    {
        if (!double.IsFinite(value))
        {
            binder.Error(path, Format(value), "a threshold must be a finite number");
        }
        else if (key.EndsWith("_percent", StringComparison.OrdinalIgnoreCase) && (value <= 0 || value > 100))
        {
            binder.Error(path, Format(value), "a percentage threshold must be greater than 0 and at most 100");
        }
    }

    /// <summary>Whether <paramref name="host"/> is an address an endpoint can listen on: an IP address, localhost, or * / 0.0.0.0 / + for every interface.</summary>
    internal static bool IsListenAddress(string? host) =>
        host is "*" or "+" or "localhost" || System.Net.IPAddress.TryParse(host, out _);

    private static void CheckPort(OptionsBinder binder, string key, int port)
    {
        if (port is < 0 or > 65535)
        {
            binder.Error(key, Format(port), "a port must be between 1 and 65535 (0 picks a free port)");
        }
    }

    internal static string Format(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The <c>monitoring.sampling:</c> section. Every call is always counted; sampling only thins out the calls
/// whose duration and allocations are measured.
/// </summary>
public sealed class SamplingSettings
{
    /// <summary>Most a sampling rate may be: 1 call in a million.</summary>
    internal const int MaxRate = 1_000_000;

    /// <summary>Time 1 call in this many (1 = every call, the default; at most 1,000,000). Raise it for operations that take well under a microsecond.</summary>
    [ConfigurationKeyName("rate")]
    public int Rate { get; set; } = 1;

    /// <summary>Measure the bytes allocated by 1 timed call in this many (default 16, at most 1,000,000); 0 turns it off.</summary>
    [ConfigurationKeyName("allocation_rate")]
    public int AllocationRate { get; set; } = MonitoringDefaults.AllocationSampleInterval;

    /// <summary>
    /// Of the calls whose allocations are measured, measure the thread CPU time of 1 in this many (default 64: 1 timed
    /// call in 1,024 with the default allocation rate, and at most once every 2 ms per thread and operation); 0 turns
    /// it off; at most 1,000,000. Linux only, where the read costs about a microsecond.
    /// </summary>
    [ConfigurationKeyName("cpu_time_rate")]
    public int CpuTimeRate { get; set; } = MonitoringDefaults.CpuTimeSampleInterval;

    internal void Validate(OptionsBinder binder, string prefix)
    {
        binder.CheckRange($"{prefix}:cpu_time_rate", CpuTimeRate, 0, MaxRate, "the CPU time sampling rate (0 = off)");
        binder.CheckRange($"{prefix}:rate", Rate, 1, MaxRate, "the sampling rate (1 = every call)");
        binder.CheckRange($"{prefix}:allocation_rate", AllocationRate, 0, MaxRate, "the allocation sampling rate (0 = off)");
    }
}
