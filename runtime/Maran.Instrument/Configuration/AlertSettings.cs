using Maran.Instrument.Alerts;
using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>
/// The <c>alerts:</c> section: threshold rules, the channels notifications go to, and how often firing alerts are
/// repeated. The health thresholds of <c>monitoring.health_thresholds</c> become default rules.
/// </summary>
public sealed class AlertSettings
{
    /// <summary>When false no rule is evaluated and nothing is sent.</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary>Time between evaluations (100ms to 1d); by default the health check interval.</summary>
    [ConfigurationKeyName("evaluation_interval")]
    public TimeSpan? EvaluationInterval { get; set; }

    /// <summary>How often a still-firing alert is notified again (default 4h, as Alertmanager; at most 365d).</summary>
    [ConfigurationKeyName("repeat_interval")]
    public TimeSpan RepeatInterval { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Whether each <c>monitoring.health_thresholds</c> entry becomes a warning rule (<c>health_cpu_percent</c>, ...).</summary>
    [ConfigurationKeyName("default_rules")]
    public bool DefaultRules { get; set; } = true;

    /// <summary>The <c>for</c> of the default health rules (default 1m, at most 7d).</summary>
    [ConfigurationKeyName("default_for")]
    public TimeSpan DefaultFor { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Names of metrics the program feeds (<see cref="AlertEngine.SetCustomMetric"/>), so rules may watch them.</summary>
    [ConfigurationKeyName("custom_metrics")]
    public List<string> CustomMetrics { get; set; } = [];

    /// <summary>The rules.</summary>
    [ConfigurationKeyName("rules")]
    public List<AlertRuleOptions> Rules { get; set; } = [];

    /// <summary>Service level objectives, each with multi-window burn-rate alerts on its error budget.</summary>
    [ConfigurationKeyName("slos")]
    public List<SloOptions> Slos { get; set; } = [];

    /// <summary>Where notifications go.</summary>
    [ConfigurationKeyName("channels")]
    public AlertChannelSettings Channels { get; set; } = new();

    /// <summary>How long a silence lasts when the caller gives no end (default 1h, at most 365d).</summary>
    [ConfigurationKeyName("silence_duration")]
    public TimeSpan SilenceDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Notifications waiting per channel at most (default 256; 1 to 1,000,000); beyond that they are dropped and counted (<c>maran_dropped_total</c>).</summary>
    [ConfigurationKeyName("queue_capacity")]
    public int QueueCapacity { get; set; } = 256;

    /// <summary>History entries kept in memory (default 10,000; 0 to 1,000,000), for queries while the database is unavailable.</summary>
    [ConfigurationKeyName("history_in_memory")]
    public int HistoryInMemory { get; set; } = 10_000;

    /// <summary>Address the notifications link to (the dashboard), as <c>externalURL</c> and <c>generatorURL</c>: an http:// or https:// address.</summary>
    [ConfigurationKeyName("external_url")]
    public Uri? ExternalUrl { get; set; }

    /// <summary>How long stopping may spend delivering what is queued (default 10s, at most 10m).</summary>
    [ConfigurationKeyName("stop_timeout")]
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether <paramref name="metric"/> is a custom metric declared here or by a custom health threshold.</summary>
    internal bool IsCustomMetric(string metric, MonitoringSettings monitoring) =>
        CustomMetrics.Contains(metric, StringComparer.Ordinal) || monitoring.HealthThresholds.ContainsKey(metric);

    internal void Validate(OptionsBinder binder, string prefix, MonitoringSettings monitoring)
    {
        if (EvaluationInterval is { } interval)
        {
            binder.CheckDuration($"{prefix}:evaluation_interval", interval, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1), "the evaluation interval", minIncluded: true);
        }

        binder.CheckDuration($"{prefix}:repeat_interval", RepeatInterval, TimeSpan.Zero, TimeSpan.FromDays(365), "the repeat interval");
        binder.CheckDuration($"{prefix}:silence_duration", SilenceDuration, TimeSpan.Zero, TimeSpan.FromDays(365), "the silence duration");
        binder.CheckDuration($"{prefix}:default_for", DefaultFor, TimeSpan.Zero, TimeSpan.FromDays(7), "'for'", minIncluded: true);
        binder.CheckDuration($"{prefix}:stop_timeout", StopTimeout, TimeSpan.Zero, TimeSpan.FromMinutes(10), "the stop timeout", minIncluded: true);
        binder.CheckRange($"{prefix}:queue_capacity", QueueCapacity, 1, 1_000_000, "the notifications a channel queue holds");
        binder.CheckRange($"{prefix}:history_in_memory", HistoryInMemory, 0, 1_000_000, "the history entries kept in memory");
        AlertChannelSettings.CheckHttpUrl(binder, $"{prefix}:external_url", ExternalUrl);

        for (int i = 0; i < CustomMetrics.Count; i++)
        {
            string name = CustomMetrics[i];
            if (string.IsNullOrWhiteSpace(name) || !AlertRuleValidator.IsLabelName(name))
            {
                binder.Error($"{prefix}:custom_metrics:{i}", name, "a metric name is letters, digits and _, not starting with a digit");
            }
            else if (AlertMetricInfo.BuiltIn.ContainsKey(name))
            {
                binder.Error($"{prefix}:custom_metrics:{i}", name, "this is a built-in metric; declare only metrics the program feeds");
            }
        }

        var seen = new HashSet<(string, AlertSeverity)>();
        for (int i = 0; i < Rules.Count; i++)
        {
            string rulePrefix = $"{prefix}:rules:{i}";
            AlertRuleOptions options = Rules[i];
            AlertRule? rule = AlertRuleValidator.Check(options.ToFields(), m => IsCustomMetric(m, monitoring), (field, value, message) =>
            {
                string key = $"{rulePrefix}:{field.Replace('.', ':')}";
                binder.Error(key, binder.ValueAt(key) ?? value, message, originKey: rulePrefix);
            });
            if (rule is not null && !seen.Add((rule.Name, rule.Severity)))
            {
                binder.Error($"{rulePrefix}:name", rule.Name,
                    $"rule '{rule.Name}': another {AlertRuleValidator.SeverityName(rule.Severity)} rule has this name (rules may share a name only with different severities)");
            }
        }

        var slos = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Slos.Count; i++)
        {
            string sloPrefix = $"{prefix}:slos:{i}";
            SloDefinition? slo = SloValidator.Check(Slos[i], (field, value, message) =>
            {
                string key = $"{sloPrefix}:{field.Replace('.', ':')}";
                binder.Error(key, binder.ValueAt(key) ?? value, message, originKey: sloPrefix);
            });
            if (slo is not null && !slos.Add(slo.Name))
            {
                binder.Error($"{sloPrefix}:name", slo.Name, $"slo '{slo.Name}': another SLO has this name");
            }
        }

        Channels.Validate(binder, $"{prefix}:channels");
    }
}
