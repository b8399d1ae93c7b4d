namespace Maran.Instrument.Costs;

/// <summary>Everything recorded since the tracker was created.</summary>
/// <param name="TotalUsd">Every priced cost, in USD (<c>total_cost_usd</c>).</param>
/// <param name="ByResourceType">USD per resource type.</param>
/// <param name="Usage">Tokens per model, component and operation (<c>tokens_total</c>).</param>
public sealed record CostTotals(decimal TotalUsd, IReadOnlyDictionary<string, decimal> ByResourceType, IReadOnlyList<UsageTotal> Usage);

/// <summary>Tokens of one model in one operation since the tracker was created.</summary>
/// <param name="Model">The model (<c>(unknown)</c> when no name was available).</param>
/// <param name="Component">The component.</param>
/// <param name="Operation">The operation, or empty for tokens recorded without one.</param>
/// <param name="Tokens">The counts.</param>
/// <param name="CostUsd">Their cost, or null when the model has no price.</param>
public sealed record UsageTotal(string Model, string Component, string Operation, TokenTotals Tokens, decimal? CostUsd);
