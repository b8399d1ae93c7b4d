using Maran.Instrument.Configuration;

namespace Maran.Instrument.Costs;

/// <summary>
/// The daily and monthly budgets: what the current period has spent, which of <c>costs.budgets.thresholds</c> it has
/// crossed, and the alerts for thresholds crossed since they were last taken. Each period's spending and crossed
/// thresholds are saved, so a restart neither forgets the spending nor raises an alert again.
/// </summary>
/// <remarks>Not thread-safe: the loop changes it and the queries read it, both under the tracker's state lock.</remarks>
internal sealed class CostBudgets(MonitoringOptions options, ICostPersistence store)
{
    private readonly Dictionary<BudgetPeriod, Budget> _budgets = [];
    private readonly List<BudgetAlert> _alerts = [];

    // The thresholds in ascending order, as the configuration gave them at Load.
    private double[] _thresholds = [.. options.Costs.Budgets.Thresholds.Order()];

    private static ReadOnlySpan<BudgetPeriod> Periods => [BudgetPeriod.Daily, BudgetPeriod.Monthly];

    /// <summary>Reads the thresholds from the configuration again.</summary>
    public void Load() => _thresholds = [.. options.Costs.Budgets.Thresholds.Order()];

    /// <summary>Adds the spending and crossed thresholds read back from storage.</summary>
    public void Load(IReadOnlyDictionary<BudgetPeriod, (long Start, decimal Spent, List<double> Fired)> stored)
    {
        foreach ((BudgetPeriod period, (long start, decimal spent, List<double> fired)) in stored)
        {
            Budget budget = BudgetOf(period, start);
            budget.Spent += spent;
            budget.Fired.UnionWith(fired);
        }
    }

    /// <summary>
    /// Counts <paramref name="cost"/>, recorded at <paramref name="at"/>, against the periods that hold it: a newer period
    /// starts afresh, a cost of a period already over is left out. Thresholds it crosses wait in <see cref="TakeAlerts"/>.
    /// </summary>
    public void Spend(DateTimeOffset at, decimal cost)
    {
        long atMs = at.ToUnixTimeMilliseconds();
        foreach (BudgetPeriod period in Periods)
        {
            long start = CostTime.PeriodStart(period, atMs);
            Budget budget = BudgetOf(period, start);
            if (budget.Start != start)
            {
                continue;
            }

            budget.Spent += cost;
            if (LimitOf(period) is decimal limit)
            {
                foreach (double threshold in _thresholds)
                {
                    if (!budget.Fired.Contains(threshold) && budget.Spent >= limit * (decimal)threshold / 100m)
                    {
                        budget.Fired.Add(threshold);
                        _alerts.Add(new BudgetAlert(period, DateTimeOffset.FromUnixTimeMilliseconds(start), threshold, limit, budget.Spent, at));
                    }
                }
            }

            store.SaveBudget(period, start, budget.Spent, budget.Fired);
        }
    }

    /// <summary>The thresholds crossed since the last call.</summary>
    public BudgetAlert[] TakeAlerts()
    {
        if (_alerts.Count == 0)
        {
            return [];
        }

        BudgetAlert[] alerts = [.. _alerts];
        _alerts.Clear();
        return alerts;
    }

    /// <summary>The spending of the day and month that hold <paramref name="nowMs"/>, for the budgets that are set.</summary>
    public List<BudgetStatus> Statuses(long nowMs)
    {
        var statuses = new List<BudgetStatus>();
        foreach (BudgetPeriod period in Periods)
        {
            if (LimitOf(period) is not decimal limit)
            {
                continue;
            }

            long start = CostTime.PeriodStart(period, nowMs);
            decimal spent = _budgets.TryGetValue(period, out Budget? budget) && budget.Start == start ? budget.Spent : 0;
            statuses.Add(new BudgetStatus(period, DateTimeOffset.FromUnixTimeMilliseconds(start), limit, spent, (double)(spent / limit * 100m)));
        }

        return statuses;
    }

    private decimal? LimitOf(BudgetPeriod period) =>
        period == BudgetPeriod.Daily ? options.Costs.Budgets.DailyUsd : options.Costs.Budgets.MonthlyUsd;

    // The budget of the period starting at start; a newer period replaces an older one, an older one is left alone.
    private Budget BudgetOf(BudgetPeriod period, long start)
    {
        if (!_budgets.TryGetValue(period, out Budget? budget) || budget.Start < start)
        {
            _budgets[period] = budget = new Budget(start);
        }

        return budget;
    }

    /// <summary>The spending of the current day or month and the thresholds already announced.</summary>
    private sealed class Budget(long start)
    {
        public long Start { get; } = start;

        public decimal Spent { get; set; }

        public HashSet<double> Fired { get; } = [];
    }
}
