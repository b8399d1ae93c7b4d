using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Costs;

/// <summary>The cost tracker's rows: every priced usage, hourly cells and budget periods.</summary>
internal interface ICostPersistence
{
    void Insert(DateTimeOffset at, CostKey key, in TokenUsage usage, double quantity, decimal? cost);

    void Save(CostKey key, CostCell cell);

    /// <summary>Saves a budget period; <paramref name="fired"/> (the thresholds crossed, in no order) is read during the call only.</summary>
    void SaveBudget(BudgetPeriod period, long start, decimal spent, IReadOnlyCollection<double> fired);

    /// <summary>Completes when every write accepted before the call has been committed.</summary>
    Task FlushAsync(CancellationToken cancellationToken);

    /// <summary>Reads back hourly cells since <paramref name="since"/> and the budgets of the current day and month; false when there is nothing readable.</summary>
    bool TryLoad(long since, long dayStart, long monthStart, out StoredCosts stored);
}

/// <summary>What <see cref="ICostPersistence.TryLoad"/> read back.</summary>
internal sealed class StoredCosts
{
    public Dictionary<CostKey, CostCell> Hourly { get; } = [];

    public Dictionary<BudgetPeriod, (long Start, decimal Spent, List<double> Fired)> Budgets { get; } = [];
}
