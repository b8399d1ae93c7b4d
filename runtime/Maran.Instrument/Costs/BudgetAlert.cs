namespace Maran.Instrument.Costs;

/// <summary>The span of a budget.</summary>
public enum BudgetPeriod
{
    /// <summary>A UTC day.</summary>
    Daily,

    /// <summary>A UTC calendar month.</summary>
    Monthly,
}

/// <summary>
/// A budget crossed one of its thresholds (<c>costs.budgets.thresholds</c>, 50/80/100% by default): raised once
/// per threshold and period through <see cref="CostTracker.BudgetThresholdReached"/>, and kept in the database so a
/// restart does not raise it again.
/// </summary>
/// <param name="Period">Daily or monthly.</param>
/// <param name="PeriodStart">Start of the period (UTC).</param>
/// <param name="ThresholdPercent">The threshold crossed, in percent.</param>
/// <param name="BudgetUsd">The budget.</param>
/// <param name="SpentUsd">Spent in the period when the threshold was crossed.</param>
/// <param name="Timestamp">When the cost that crossed it was recorded.</param>
public sealed record BudgetAlert(BudgetPeriod Period, DateTimeOffset PeriodStart, double ThresholdPercent, decimal BudgetUsd, decimal SpentUsd, DateTimeOffset Timestamp)
{
    /// <summary>Whether the budget is used up (the threshold is 100% or more).</summary>
    public bool IsExceeded => ThresholdPercent >= 100;
}
