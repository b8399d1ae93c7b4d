namespace Maran.Instrument.Dashboard;

/// <summary>
/// The costs section: the priced total of a window of whole clock hours, its tokens by type, the breakdowns by model,
/// component, resource type and (paged) operation, one point per hour and per day, the budgets, and everything since
/// the tracker started. Models without a price keep their tokens and have no cost (never zero); <see cref="Message"/>
/// says why nothing new is tracked when the tracker is off or stopped. <see cref="Anomalies"/> are the cost series anomaly
/// rules watch (cost per hour or day, tokens per minute, per model, budget use), with their expected bands.
/// </summary>
internal sealed record CostsView(
    bool Enabled,
    bool Running,
    string? Message,
    int Hours,
    DateTimeOffset From,
    decimal TotalUsd,
    TokenCountsView Tokens,
    IReadOnlyList<ModelCostView> Models,
    int ModelsOmitted,
    IReadOnlyList<string> UnpricedModels,
    AmountsView ByComponent,
    AmountsView ByResourceType,
    OperationCostsView Operations,
    CostSeriesView Hourly,
    CostSeriesView Daily,
    IReadOnlyList<BudgetView> Budgets,
    CostsSinceStartView SinceStart,
    IReadOnlyList<AnomalySeriesView> Anomalies);

/// <summary>
/// Token counts by type. Cached and cache-write tokens are part of <see cref="Input"/>, reasoning tokens part of
/// <see cref="Output"/>; <see cref="EstimatedCalls"/> calls were counted with a tokenizer rather than reported.
/// </summary>
internal sealed record TokenCountsView(long Calls, long Input, long Output, long CachedInput, long CacheWrite, long Reasoning, long EstimatedCalls, long CallsWithoutUsage);

/// <summary>One model's tokens and cost; <see cref="CostUsd"/> is null and <see cref="Unpriced"/> true when it has no price.</summary>
internal sealed record ModelCostView(string Model, TokenCountsView Tokens, decimal? CostUsd, bool Unpriced);

/// <summary>The largest amounts of a breakdown, and what those left out add up to.</summary>
internal sealed record AmountsView(IReadOnlyList<AmountView> Top, int Omitted, decimal OmittedUsd);

/// <summary>A named amount in USD; <see cref="Unpriced"/> when tokens without a price belong to it too (they add nothing to it).</summary>
internal sealed record AmountView(string Name, decimal Usd, bool Unpriced);

/// <summary>One page of the operations, the costliest first.</summary>
internal sealed record OperationCostsView(int Total, int Page, int Size, IReadOnlyList<OperationCostView> Rows);

/// <summary>
/// One operation's (or, with no operation, one component's) model calls, tokens and cost in the window;
/// <see cref="UnpricedCalls"/> of its calls had no price, so their tokens add nothing to the cost.
/// </summary>
internal sealed record OperationCostView(string Component, string Operation, long Calls, long Tokens, decimal CostUsd, long UnpricedCalls);

/// <summary>Cost and tokens per hour or per day: the start of each (Unix milliseconds), oldest first.</summary>
internal sealed record CostSeriesView(IReadOnlyList<long> Times, IReadOnlyList<decimal> Usd, IReadOnlyList<long> Tokens);

/// <summary>Where a daily or monthly budget stands: spent of the budget, in percent, and each threshold and whether it was reached.</summary>
internal sealed record BudgetView(string Period, DateTimeOffset Start, decimal BudgetUsd, decimal SpentUsd, double Percent, IReadOnlyList<ThresholdView> Thresholds);

/// <summary>A budget threshold, in percent, and whether the period's spending has reached it.</summary>
internal sealed record ThresholdView(double Percent, bool Reached);

/// <summary>Everything the tracker recorded since it was created, never windowed: USD, tokens, and the models without a price.</summary>
internal sealed record CostsSinceStartView(decimal TotalUsd, long Calls, long Input, long Output, int Models, int UnpricedModels);
