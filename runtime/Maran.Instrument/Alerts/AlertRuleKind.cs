namespace Maran.Instrument.Alerts;

/// <summary>What makes a rule's condition true.</summary>
public enum AlertRuleKind
{
    /// <summary>The value compares true with a fixed threshold (<c>kind: threshold</c>, the default).</summary>
    Threshold,

    /// <summary>The series' streaming anomaly detector scores the value at least <see cref="AlertRule.MinScore"/> (<c>kind: anomaly</c>).</summary>
    Anomaly,

    /// <summary>The series' trend is forecast to reach <see cref="AlertRule.Limit"/> within <see cref="AlertRule.Horizon"/> (<c>kind: forecast</c>).</summary>
    Forecast,

    /// <summary>An SLO's error budget burns at least a given rate over a long and a short window (from <c>alerts.slos</c>).</summary>
    BurnRate,
}
