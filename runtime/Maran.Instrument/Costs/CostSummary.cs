using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Costs;

/// <summary>Costs over a window of hours: the total in USD and its breakdowns by model, component, operation and resource type, with hourly and daily history.</summary>
public sealed record CostSummary
{
    /// <summary>The window, in hours, ending at <see cref="To"/>; it covers whole clock hours, the current one included.</summary>
    public required int Hours { get; init; }

    /// <summary>Start of the window (the start of its first hour).</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>End of the window (now).</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Every priced cost in the window, in USD: tokens, compute and costs recorded by hand. Unpriced tokens add nothing.</summary>
    public required decimal TotalUsd { get; init; }

    /// <summary>Tokens over the window, all models together.</summary>
    public required TokenTotals Tokens { get; init; }

    /// <summary>Per model: tokens, calls and cost (null when the model has no price).</summary>
    public required IReadOnlyList<ModelCost> ByModel { get; init; }

    /// <summary>USD per component.</summary>
    public required IReadOnlyDictionary<string, decimal> ByComponent { get; init; }

    /// <summary>Per monitored operation (or component, for costs recorded without one): tokens and USD.</summary>
    public required IReadOnlyList<OperationCost> ByOperation { get; init; }

    /// <summary>USD per resource type: <c>tokens</c>, <c>cpu</c>, <c>gpu</c> and the types given to <see cref="CostTracker.RecordCost"/>.</summary>
    public required IReadOnlyDictionary<string, decimal> ByResourceType { get; init; }

    /// <summary>One point per hour of the window, oldest first, zeros included.</summary>
    public required IReadOnlyList<CostPoint> Hourly { get; init; }

    /// <summary>One point per UTC day the window touches, oldest first.</summary>
    public required IReadOnlyList<CostPoint> Daily { get; init; }

    /// <summary>Models whose tokens were recorded without a price in the window.</summary>
    public required IReadOnlyList<string> UnpricedModels { get; init; }

    /// <summary>The current day's and month's spending against their budgets, when budgets are set.</summary>
    public required IReadOnlyList<BudgetStatus> Budgets { get; init; }
}

/// <summary>Token counts over a window.</summary>
/// <param name="Calls">Model calls recorded.</param>
/// <param name="Input">Input tokens, cached and cache-write ones included.</param>
/// <param name="Output">Output tokens, reasoning ones included.</param>
/// <param name="CachedInput">Input tokens read from a cache.</param>
/// <param name="CacheWrite">Input tokens written to a cache.</param>
/// <param name="Reasoning">Output tokens spent on reasoning.</param>
/// <param name="EstimatedCalls">Calls whose counts were estimated with a tokenizer.</param>
/// <param name="CallsWithoutUsage">Calls whose response carried no usage and were not estimated.</param>
/// <param name="CacheHits">Calls answered from the application's response cache (<see cref="TokenUsage.IsCacheHit"/>): counted, never billed.</param>
/// <param name="CacheHitTokens">Input plus output tokens the cached responses report; not part of <paramref name="Input"/> or <paramref name="Output"/>.</param>
public sealed record TokenTotals(long Calls, long Input, long Output, long CachedInput, long CacheWrite, long Reasoning, long EstimatedCalls, long CallsWithoutUsage, long CacheHits = 0, long CacheHitTokens = 0);

/// <summary>One model's tokens and cost over a window.</summary>
/// <param name="Model">The model name as responses (or the attribute) gave it.</param>
/// <param name="Tokens">Its tokens.</param>
/// <param name="CostUsd">Its cost, or null when it has no price.</param>
public sealed record ModelCost(string Model, TokenTotals Tokens, decimal? CostUsd);

/// <summary>One operation's tokens and cost over a window.</summary>
/// <param name="Component">The component.</param>
/// <param name="Operation">The operation, or an empty string for costs recorded without one.</param>
/// <param name="Calls">Model calls.</param>
/// <param name="Tokens">Input plus output tokens.</param>
/// <param name="CostUsd">Priced cost of every resource type.</param>
/// <param name="CacheHits">Model calls answered from the application's response cache: in <paramref name="Calls"/>, not billed.</param>
/// <param name="CacheHitTokens">Tokens the cached responses report; not part of <paramref name="Tokens"/>.</param>
public sealed record OperationCost(string Component, string Operation, long Calls, long Tokens, decimal CostUsd, long CacheHits = 0, long CacheHitTokens = 0);

/// <summary>Cost in one hour or day.</summary>
/// <param name="Start">Start of the hour or day (UTC).</param>
/// <param name="CostUsd">Priced cost in it.</param>
/// <param name="Tokens">Input plus output tokens in it.</param>
public sealed record CostPoint(DateTimeOffset Start, decimal CostUsd, long Tokens);

/// <summary>A budget period's spending.</summary>
/// <param name="Period">Daily or monthly.</param>
/// <param name="Start">Start of the current period (UTC).</param>
/// <param name="BudgetUsd">The budget.</param>
/// <param name="SpentUsd">Spent so far in the period.</param>
/// <param name="Percent">Spent as a percentage of the budget.</param>
public sealed record BudgetStatus(BudgetPeriod Period, DateTimeOffset Start, decimal BudgetUsd, decimal SpentUsd, double Percent);
