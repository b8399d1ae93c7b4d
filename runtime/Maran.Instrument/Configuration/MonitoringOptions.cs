using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>
/// Every setting of the toolkit. Read from <c>monitoring_config.yaml</c>, overridden by the <c>MARAN_*</c>
/// environment variables, overridden by code; checked when monitoring starts.
/// </summary>
/// <example>
/// <code>
/// monitoring:
///   metrics_port: 9090
///   dashboard_port: 8080
///   health_check_interval: 30
///   health_thresholds:
///     cpu_percent: 80
/// </code>
/// </example>
public sealed class MonitoringOptions
{
    /// <summary>The default configuration file name, looked for in the current directory and then beside the application.</summary>
    public const string DefaultFileName = "monitoring_config.yaml";

    /// <summary>The <c>monitoring:</c> section: ports, intervals, thresholds, sampling.</summary>
    [ConfigurationKeyName("monitoring")]
    public MonitoringSettings Monitoring { get; set; } = new();

    /// <summary>The <c>logging:</c> section: console, rolling file and searchable store of the structured log.</summary>
    [ConfigurationKeyName("logging")]
    public LoggingSettings Logging { get; set; } = new();

    /// <summary>The <c>storage:</c> section: the SQLite database of errors, costs, logs and alert history.</summary>
    [ConfigurationKeyName("storage")]
    public StorageSettings Storage { get; set; } = new();

    /// <summary>The <c>alerts:</c> section: threshold rules, notification channels, silences and repeats.</summary>
    [ConfigurationKeyName("alerts")]
    public AlertSettings Alerts { get; set; } = new();
    /// <summary>The <c>dashboard:</c> section: the live dashboard's address, access token and history.</summary>
    [ConfigurationKeyName("dashboard")]
    public DashboardSettings Dashboard { get; set; } = new();

    /// <summary>The <c>errors:</c> section: how errors are grouped and which stack frames are the application's.</summary>
    [ConfigurationKeyName("errors")]
    public ErrorSettings Errors { get; set; } = new();

    /// <summary>The <c>costs:</c> section: model prices, compute rates, budgets and token estimation.</summary>
    [ConfigurationKeyName("costs")]
    public CostSettings Costs { get; set; } = new();

    /// <summary>
    /// The <c>production:</c> section: null (development mode) unless the configuration has one. Its presence forbids
    /// secrets written inline in the file; it adds TLS (<c>ssl_enabled</c>), the diagnostic switch <c>debug_mode</c>,
    /// and the audit trail and encryption of logs at rest (<c>security</c>).
    /// </summary>
    [ConfigurationKeyName("production")]
    public ProductionSettings? Production { get; set; }

    /// <summary>The <c>production.security:</c> settings, their defaults (audit and encryption off) without a <c>production</c> section.</summary>
    internal ProductionSecuritySettings ProductionSecurity => Production?.Security ?? new ProductionSecuritySettings();

    /// <summary>The least severe level logged: DEBUG under <c>production.debug_mode</c>, else <c>monitoring.log_level</c>.</summary>
    internal MonitoringLogLevel EffectiveLogLevel => Production is { DebugMode: true } ? MonitoringLogLevel.Debug : Monitoring.LogLevel;

    /// <summary>
    /// The sample interval <c>Start()</c> applies: <c>monitoring.sampling.rate</c>, but 1 while
    /// <c>production.security.audit_all_operations</c> is on (a sampled-out call would be counted with no audit line).
    /// </summary>
    internal int EffectiveSampleInterval => ProductionSecurity.AuditAllOperations ? 1 : Monitoring.Sampling.Rate;

    /// <summary>Why <see cref="EffectiveSampleInterval"/> is not <c>monitoring.sampling.rate</c>; null when it is.</summary>
    internal string? SampleIntervalOverride =>
        EffectiveSampleInterval == Monitoring.Sampling.Rate ? null : "production.security.audit_all_operations audits, and so times, every call";

    /// <summary>
    /// Loads the configuration: defaults, then the YAML file (<paramref name="path"/>, else <c>MARAN_CONFIG</c>, else
    /// <see cref="DefaultFileName"/> if present), then the <c>MARAN_*</c> variables of <paramref name="environment"/>
    /// (the process environment when null).
    /// </summary>
    /// <exception cref="MonitoringConfigurationException">The file or a variable is invalid; the message names each key, value and line.</exception>
    public static MonitoringOptions Load(string? path = null, IDictionary? environment = null)
    {
        MonitoringOptions options = LoadCollectingErrors(path, environment, out IReadOnlyList<ConfigurationError> errors);
        if (errors.Count > 0)
        {
            throw new MonitoringConfigurationException(errors);
        }

        return options;
    }

    /// <summary>Checks every value; an empty list means the options are usable.</summary>
    public IReadOnlyList<ConfigurationError> Validate() => Validate(binder: null);

    internal IReadOnlyList<ConfigurationError> Validate(OptionsBinder? binder)
    {
        binder ??= new OptionsBinder(root: null);
        Monitoring.Validate(binder, "monitoring");
        Storage.Validate(binder, "storage");
        Logging.Validate(binder, "logging");
        Alerts.Validate(binder, "alerts", Monitoring);
        Dashboard.Validate(binder, "dashboard", production: Production is not null);
        Errors.Validate(binder, "errors");
        Costs.Validate(binder, "costs");
        Production?.Validate(binder, "production");
        return binder.Errors;
    }

    /// <summary>Loads as <see cref="Load(string?, IDictionary?)"/> does, returning the problems instead of throwing, so they can surface at start.</summary>
    internal static MonitoringOptions LoadCollectingErrors(string? path, IDictionary? environment, out IReadOnlyList<ConfigurationError> errors)
    {
        environment ??= Environment.GetEnvironmentVariables();
        var options = new MonitoringOptions();
        string? file = ResolvePath(path, environment, out bool optional, out string pathOrigin);
        IConfigurationRoot root;
        try
        {
            var builder = new ConfigurationBuilder();
            if (file is not null)
            {
                builder.Add(new YamlConfigurationSource(file, optional, pathOrigin));
            }

            builder.Add(new MaranEnvironmentConfigurationSource(environment));
            root = builder.Build();
        }
        catch (MonitoringConfigurationException ex)
        {
            errors = ex.Errors;
            return options;
        }

        var binder = new OptionsBinder(root);
        binder.Bind(root, options, SettingsMetadata.MonitoringOptions);
        options.ConfigurationRoot = root;
        options.Validate(binder);
        errors = binder.Errors;
        return options;
    }

    /// <summary>
    /// Reads the options from <paramref name="section"/> of an application's configuration (for example <c>Maran</c>
    /// of a host's <see cref="IConfiguration"/>, from <c>appsettings.json</c>, environment variables, user secrets or any
    /// provider): the keys of <c>monitoring_config.yaml</c> under it (<c>Maran:monitoring:metrics_port</c>), checked
    /// as the file is.
    /// </summary>
    /// <exception cref="MonitoringConfigurationException">A key is unknown or a value invalid; the message names each key, value and the provider that set it.</exception>
    public static MonitoringOptions Load(IConfiguration configuration, string section)
    {
        MonitoringOptions options = LoadCollectingErrors(configuration, section, out IReadOnlyList<ConfigurationError> errors);
        if (errors.Count > 0)
        {
            throw new MonitoringConfigurationException(errors);
        }

        return options;
    }

    /// <summary>Loads as <see cref="Load(IConfiguration, string)"/> does, returning the problems instead of throwing, so they can surface at start.</summary>
    internal static MonitoringOptions LoadCollectingErrors(IConfiguration configuration, string section, out IReadOnlyList<ConfigurationError> errors)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrEmpty(section);
        return LoadCollectingErrors(SectionProvider.Over(configuration, section), out errors);
    }

    /// <summary>Binds and checks the options from <paramref name="root"/>, whose providers name where each key came from; the problems are returned, not thrown.</summary>
    internal static MonitoringOptions LoadCollectingErrors(IConfigurationRoot root, out IReadOnlyList<ConfigurationError> errors)
    {
        var options = new MonitoringOptions();
        var binder = new OptionsBinder(root);
        binder.Bind(root, options, SettingsMetadata.MonitoringOptions);
        options.ConfigurationRoot = root;
        options.Validate(binder);
        errors = binder.Errors;
        return options;
    }

    /// <summary>The configuration the options were read from; kept so later checks can name where a value came from.</summary>
    internal IConfigurationRoot? ConfigurationRoot { get; private set; }

    private static string? ResolvePath(string? path, IDictionary environment, out bool optional, out string origin)
    {
        optional = false;
        origin = "code";
        if (!string.IsNullOrWhiteSpace(path))
        {
            return Path.GetFullPath(path);
        }

        if (environment["MARAN_CONFIG"]?.ToString() is { Length: > 0 } configured)
        {
            origin = "environment variable MARAN_CONFIG";
            return Path.GetFullPath(configured);
        }

        optional = true;
        origin = "default location";
        string inCurrent = Path.GetFullPath(DefaultFileName);
        if (File.Exists(inCurrent))
        {
            return inCurrent;
        }

        string besideApp = Path.Combine(AppContext.BaseDirectory, DefaultFileName);
        return File.Exists(besideApp) ? besideApp : null;
    }
}
