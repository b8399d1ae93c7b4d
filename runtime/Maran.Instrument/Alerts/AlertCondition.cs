namespace Maran.Instrument.Alerts;

/// <summary>
/// What decides, for one rule, whether a sample of one series makes its alert's condition true, and what the rule's
/// templates may say about it. Conditions that learn (anomaly detectors, trend fits) keep one state per series, at
/// most <see cref="MaxSeries"/>. Called by the rule's evaluator only, one evaluation at a time.
/// </summary>
internal abstract class AlertCondition
{
    /// <summary>Series one learning condition follows at most; a rule over more series leaves the newest out and counts each (<c>maran_dropped_total</c>).</summary>
    internal const int MaxSeries = 1000;

    /// <summary>The condition of <paramref name="rule"/>.</summary>
    public static AlertCondition For(AlertRule rule, IReadOnlyDictionary<string, SloTracker> slos) => rule.Kind switch
    {
        AlertRuleKind.Anomaly => new AnomalyCondition(rule),
        AlertRuleKind.Forecast => new ForecastCondition(rule),
        AlertRuleKind.BurnRate when rule.BurnRate is { } burn && slos.TryGetValue(burn.Slo.Name, out SloTracker? tracker) => new BurnRateCondition(burn, tracker),
        _ => new ThresholdCondition(rule),
    };

    /// <summary>
    /// Judges <paramref name="sample"/> of the series whose alert has <paramref name="fingerprint"/>; returns whether the
    /// condition holds, with the values the templates may show (null when the rule has none).
    /// </summary>
    public abstract bool Holds(string fingerprint, AlertSample sample, DateTimeOffset now, out AlertVariables? variables);

    /// <summary>Called after every sample of one evaluation was judged, with the fingerprints that reported.</summary>
    public virtual void EndEvaluation(IReadOnlySet<string> reported, DateTimeOffset now)
    {
    }
}

/// <summary>A threshold rule's condition: the value compares true with the threshold.</summary>
internal sealed class ThresholdCondition(AlertRule rule) : AlertCondition
{
    public override bool Holds(string fingerprint, AlertSample sample, DateTimeOffset now, out AlertVariables? variables)
    {
        variables = null;
        return rule.Comparison.Holds(sample.Value, rule.Threshold);
    }
}
