namespace Maran.Instrument.Alerts;

/// <summary>
/// An alert rule: while its condition holds for a series of <see cref="Metric"/>, that series' alert is pending, and
/// after <see cref="For"/> it fires. The condition depends on <see cref="Kind"/>: the value compares true with
/// <see cref="Threshold"/>; the series' anomaly detector scores it at least <see cref="MinScore"/>; its trend reaches
/// <see cref="Limit"/> within <see cref="Horizon"/>; or an SLO's error budget burns too fast. Built from the
/// <c>alerts.rules</c> and <c>alerts.slos</c> configuration or with <see cref="Create"/>; a rule that exists has been checked.
/// </summary>
/// <example>
/// <code>
/// monitoring.Alerts.AddRule(AlertRule.Create("SlowGeneration")
///     .When(AlertMetrics.OperationP95Ms).ForOperation("generate", "model")
///     .Above(2000).For(TimeSpan.FromMinutes(1)).WithSeverity(AlertSeverity.Critical)
///     .Annotation("summary", "p95 of {{ $labels.operation }} is {{ $value }} ms")
///     .Build());
/// </code>
/// </example>
public sealed class AlertRule
{
    internal AlertRule(
        string name,
        string metric,
        string? operation,
        string? component,
        AlertComparison comparison,
        double threshold,
        TimeSpan forDuration,
        TimeSpan keepFiringFor,
        TimeSpan? window,
        AlertSeverity severity,
        IReadOnlyDictionary<string, AlertTemplate> labels,
        IReadOnlyDictionary<string, AlertTemplate> annotations)
    {
        Name = name;
        Metric = metric;
        Operation = operation;
        Component = component;
        Comparison = comparison;
        Threshold = threshold;
        For = forDuration;
        KeepFiringFor = keepFiringFor;
        Window = window;
        Severity = severity;
        LabelTemplates = labels;
        AnnotationTemplates = annotations;
        Labels = labels.ToDictionary(p => p.Key, p => p.Value.Text, StringComparer.Ordinal);
        Annotations = annotations.ToDictionary(p => p.Key, p => p.Value.Text, StringComparer.Ordinal);
    }

    /// <summary>The rule's name, which is also its alerts' <c>alertname</c> label.</summary>
    public string Name { get; }

    /// <summary>The metric watched: an <see cref="AlertMetrics"/> name or a declared custom metric.</summary>
    public string Metric { get; }

    /// <summary>For operation metrics: only this operation name; null for every operation.</summary>
    public string? Operation { get; }

    /// <summary>For operation metrics: only this component; null for every component.</summary>
    public string? Component { get; }

    /// <summary>How the value is compared with <see cref="Threshold"/>.</summary>
    public AlertComparison Comparison { get; }

    /// <summary>The threshold.</summary>
    public double Threshold { get; }

    /// <summary>How long the condition must hold before the alert fires (0: at once).</summary>
    public TimeSpan For { get; }

    /// <summary>How long a firing alert keeps firing after its condition clears, so a wobbling value does not flap.</summary>
    public TimeSpan KeepFiringFor { get; }

    /// <summary>For windowed operation metrics: the window (default 5 minutes).</summary>
    public TimeSpan? Window { get; }

    /// <summary>What makes the condition true: a threshold, an anomaly, a forecast or an SLO burn rate.</summary>
    public AlertRuleKind Kind { get; internal init; }

    /// <summary>For anomaly rules: the lowest anomaly score (0 to 1) that counts as anomalous.</summary>
    public double MinScore { get; internal init; }

    /// <summary>For anomaly rules: which side of the expected band counts.</summary>
    public AnomalyDirection Direction { get; internal init; }

    /// <summary>For forecast rules: the value whose crossing is forecast.</summary>
    public double? Limit { get; internal init; }

    /// <summary>For forecast rules: how far ahead a crossing of <see cref="Limit"/> makes the condition true.</summary>
    public TimeSpan Horizon { get; internal init; }

    /// <summary>For forecast rules: how much history the trend is fitted to (the weights' time constant).</summary>
    public TimeSpan Lookback { get; internal init; }

    /// <summary>For forecast rules: how the trend is fitted (<see cref="ForecastMethod.Linear"/> unless <c>method: holt</c>).</summary>
    public ForecastMethod Method { get; internal init; }

    /// <summary>For burn-rate rules: the SLO and the burn rate they watch.</summary>
    internal SloBurnRate? BurnRate { get; init; }

    /// <summary>The severity, also the <c>severity</c> label.</summary>
    public AlertSeverity Severity { get; }

    /// <summary>Extra labels of the rule's alerts, as written (templates allowed).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>Annotations of the rule's alerts, as written (templates allowed).</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; }

    internal IReadOnlyDictionary<string, AlertTemplate> LabelTemplates { get; }

    internal IReadOnlyDictionary<string, AlertTemplate> AnnotationTemplates { get; }

    /// <summary>Starts a rule named <paramref name="name"/>.</summary>
    public static AlertRuleBuilder Create(string name) => new(name);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({AlertRuleValidator.SeverityName(Severity)}): {Condition()} for {For}";

    /// <summary>The condition in words: <c>operation_p95_ms &gt; 2000</c>, <c>anomaly of cost_per_hour_usd (score ≥ 0.5, above)</c>.</summary>
    internal string Condition() => Kind switch
    {
        AlertRuleKind.Anomaly => $"anomaly of {Metric} (score >= {AlertTemplate.FormatNumber(MinScore)}, {AlertRuleValidator.DirectionName(Direction)})",
        AlertRuleKind.Forecast => $"{Metric} forecast to reach {AlertTemplate.FormatNumber(Limit ?? 0)} within {AlertRuleValidator.ShortDuration(Horizon)}{(Method == ForecastMethod.Holt ? " (holt)" : string.Empty)}",
        AlertRuleKind.BurnRate when BurnRate is { } burn =>
            $"SLO {burn.Slo.Name} burns its error budget at >= {AlertTemplate.FormatNumber(burn.Rate)}x over {AlertRuleValidator.ShortDuration(burn.LongWindow)} and {AlertRuleValidator.ShortDuration(burn.ShortWindow)}",
        _ => $"{Metric} {Comparison.Symbol()} {AlertTemplate.FormatNumber(Threshold)}",
    };
}
