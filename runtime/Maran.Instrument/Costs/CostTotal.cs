namespace Maran.Instrument.Costs;

/// <summary>Money spent on one kind of resource: a series of <c>total_cost_usd</c>.</summary>
/// <param name="Model">The model the money went to.</param>
/// <param name="Component">The component that spent it.</param>
/// <param name="ResourceType">What was paid for, for example <c>input_tokens</c>, <c>output_tokens</c> or <c>gpu_seconds</c>.</param>
/// <param name="Usd">US dollars spent so far.</param>
internal readonly record struct CostTotal(string Model, string Component, string ResourceType, double Usd);
