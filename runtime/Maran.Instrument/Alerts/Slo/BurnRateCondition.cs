namespace Maran.Instrument.Alerts;

/// <summary>
/// A burn-rate rule's condition: the SLO's error budget burns at least the rule's rate over both its long window
/// (the sample's value) and its short window. "At least" allows a relative 1e-9, so a burn rate that is the
/// threshold on paper (72 failures in 1,000 calls against 99.5 % is 14.4x) is not missed for floating-point rounding.
/// </summary>
internal sealed class BurnRateCondition(SloBurnRate burn, SloTracker tracker) : AlertCondition
{
    /// <summary>The relative shortfall under the threshold that still counts as reaching it (the Prometheus rules use it too).</summary>
    internal const double Tolerance = 1e-9;

    public override bool Holds(string fingerprint, AlertSample sample, DateTimeOffset now, out AlertVariables? variables)
    {
        double shortRate = tracker.BurnRate(now, burn.ShortWindow) ?? 0;
        double remaining = tracker.Budget(now).BudgetRemaining;
        variables = new AlertVariables()
            .Set(AlertVariables.Slo, burn.Slo.Name)
            .Set(AlertVariables.Objective, burn.Slo.Objective)
            .Set(AlertVariables.BurnRate, sample.Value)
            .Set(AlertVariables.BurnRateShort, shortRate)
            .Set(AlertVariables.BurnRateThreshold, burn.Rate)
            .Set(AlertVariables.LongWindow, AlertRuleValidator.ShortDuration(burn.LongWindow))
            .Set(AlertVariables.ShortWindow, AlertRuleValidator.ShortDuration(burn.ShortWindow))
            .Set(AlertVariables.ErrorBudgetRemaining, remaining)
            .Set(AlertVariables.ErrorBudgetRemainingPercent, remaining * 100);
        double threshold = burn.Rate * (1 - Tolerance);
        return sample.Value >= threshold && shortRate >= threshold;
    }
}
