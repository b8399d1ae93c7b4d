using Maran.Instrument.Alerts;
using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>One rule of <c>alerts.rules</c> in <c>monitoring_config.yaml</c>.</summary>
/// <example>
/// <code>
/// alerts:
///   rules:
///     - name: SlowGeneration
///       metric: operation_p95_ms
///       operation: generate
///       comparison: ">"
///       threshold: 2000
///       for: 1m
///       severity: critical
///       annotations:
///         summary: "p95 of {{ $labels.operation }} is {{ $value }} ms"
///     - name: CostAnomaly
///       kind: anomaly
///       metric: cost_per_hour_usd
///       min_score: 0.5
///       direction: above
///     - name: BudgetExhaustion
///       kind: forecast
///       metric: budget_used_percent
///       limit: 100
///       horizon: 2h
///       method: holt
/// </code>
/// </example>
public sealed class AlertRuleOptions
{
    /// <summary>The rule's name, also its alerts' <c>alertname</c>. Two rules may share a name only with different severities.</summary>
    [ConfigurationKeyName("name")]
    public string? Name { get; set; }

    /// <summary><c>threshold</c> (default): the value compared with <c>threshold</c>; <c>anomaly</c>: the series' anomaly score against <c>min_score</c>; <c>forecast</c>: the series' trend against <c>limit</c> and <c>horizon</c>.</summary>
    [ConfigurationKeyName("kind")]
    public string? Kind { get; set; }

    /// <summary>The metric watched: one of <see cref="AlertMetrics"/> or a declared custom metric.</summary>
    [ConfigurationKeyName("metric")]
    public string? Metric { get; set; }

    /// <summary>For operation metrics: only this operation name (every operation when unset).</summary>
    [ConfigurationKeyName("operation")]
    public string? Operation { get; set; }

    /// <summary>For operation metrics: only this component (every component when unset).</summary>
    [ConfigurationKeyName("component")]
    public string? Component { get; set; }

    /// <summary>How the value is compared with the threshold: <c>&gt;</c> (default), <c>&gt;=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>==</c> or <c>!=</c>.</summary>
    [ConfigurationKeyName("comparison")]
    public string Comparison { get; set; } = ">";

    /// <summary>Threshold rules: the threshold (required).</summary>
    [ConfigurationKeyName("threshold")]
    public double? Threshold { get; set; }

    /// <summary>Anomaly rules: the lowest anomaly score that counts, above 0 and at most 1 (default 0.5, the threshold that scores best on NAB).</summary>
    [ConfigurationKeyName("min_score")]
    public double? MinScore { get; set; }

    /// <summary>Anomaly rules: <c>above</c>, <c>below</c> or <c>both</c> (default) sides of the expected band.</summary>
    [ConfigurationKeyName("direction")]
    public string? Direction { get; set; }

    /// <summary>Forecast rules: the value whose crossing is forecast (required): 100 for <c>budget_used_percent</c>, a provider's token limit.</summary>
    [ConfigurationKeyName("limit")]
    public double? Limit { get; set; }

    /// <summary>Forecast rules: how far ahead a forecast crossing makes the condition true (required, longer than zero: <c>30m</c>, <c>3h</c>).</summary>
    [ConfigurationKeyName("horizon")]
    public TimeSpan? Horizon { get; set; }

    /// <summary>Forecast rules: the time constant of the trend fit's weights (default 1h): points this old weigh 1/e of the newest.</summary>
    [ConfigurationKeyName("lookback")]
    public TimeSpan? Lookback { get; set; }

    /// <summary>
    /// Forecast rules: how the trend is fitted: <c>linear</c> (default; a weighted straight line, steady, with an exact
    /// significance test) or <c>holt</c> (double exponential smoothing, quicker to follow a trend that bends).
    /// </summary>
    [ConfigurationKeyName("method")]
    public string? Method { get; set; }

    /// <summary>How long the condition must hold before the alert fires (<c>30s</c>, <c>5m</c>; 0 fires at once).</summary>
    [ConfigurationKeyName("for")]
    public TimeSpan For { get; set; }

    /// <summary>How long a firing alert keeps firing after its condition clears.</summary>
    [ConfigurationKeyName("keep_firing_for")]
    public TimeSpan KeepFiringFor { get; set; }

    /// <summary>For windowed operation metrics (percentiles, error rate, errors, calls per second): the window, 5m by default.</summary>
    [ConfigurationKeyName("window")]
    public TimeSpan? Window { get; set; }

    /// <summary>info, warning (default) or critical.</summary>
    [ConfigurationKeyName("severity")]
    public AlertSeverity Severity { get; set; } = AlertSeverity.Warning;

    /// <summary>Extra labels of the rule's alerts.</summary>
    [ConfigurationKeyName("labels")]
    public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Annotations (<c>summary</c>, <c>description</c>, ...), with <c>{{ $value }}</c> and <c>{{ $labels.x }}</c> templates.</summary>
    [ConfigurationKeyName("annotations")]
    public Dictionary<string, string> Annotations { get; set; } = new(StringComparer.Ordinal);

    internal AlertRuleFields ToFields() =>
        new(Name, Metric, Operation, Component, Comparison, Threshold, For, KeepFiringFor, Window, Severity, Labels, Annotations,
            Kind, MinScore, Direction, Limit, Horizon, Lookback, Method);
}
