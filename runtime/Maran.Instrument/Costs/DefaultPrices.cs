namespace Maran.Instrument.Costs;

/// <summary>
/// The price table shipped with the library: widely used hosted models, in USD per million tokens, standard
/// (not batch, not priority) tier, prompts within the models' base context tier.
/// <para>
/// Prices as published by OpenAI, Anthropic and Google on their pricing pages, as of 2025-12-01 (see
/// <see cref="AsOf"/>). Providers change prices; entries in <c>costs.prices</c> of <c>monitoring_config.yaml</c>
/// override these by model, and <c>costs.default_prices: false</c> turns the table off.
/// </para>
/// </summary>
internal static class DefaultPrices
{
    /// <summary>The date the table was checked against the providers' pages.</summary>
    public const string AsOf = "2025-12-01";

    public static IReadOnlyList<ModelPrice> All { get; } =
    [
        // OpenAI. Cached input is the provider's cached-input price; reasoning tokens are billed as output.
        Price("gpt-5", input: 1.25m, output: 10.00m, cachedInput: 0.125m),
        Price("gpt-5-mini", input: 0.25m, output: 2.00m, cachedInput: 0.025m),
        Price("gpt-5-nano", input: 0.05m, output: 0.40m, cachedInput: 0.005m),
        Price("gpt-4.1", input: 2.00m, output: 8.00m, cachedInput: 0.50m),
        Price("gpt-4.1-mini", input: 0.40m, output: 1.60m, cachedInput: 0.10m),
        Price("gpt-4.1-nano", input: 0.10m, output: 0.40m, cachedInput: 0.025m),
        Price("gpt-4o", input: 2.50m, output: 10.00m, cachedInput: 1.25m),
        Price("gpt-4o-2024-05-13", input: 5.00m, output: 15.00m, match: PriceMatch.Exact),
        Price("gpt-4o-mini", input: 0.15m, output: 0.60m, cachedInput: 0.075m),
        Price("o1", input: 15.00m, output: 60.00m, cachedInput: 7.50m),
        Price("o1-mini", input: 1.10m, output: 4.40m, cachedInput: 0.55m),
        Price("o3", input: 10.00m, output: 40.00m, cachedInput: 2.50m, effectiveFrom: "2025-04-16"),
        Price("o3", input: 2.00m, output: 8.00m, cachedInput: 0.50m, effectiveFrom: "2025-06-10"),
        Price("o3-pro", input: 20.00m, output: 80.00m),
        Price("o3-mini", input: 1.10m, output: 4.40m, cachedInput: 0.55m),
        Price("o4-mini", input: 1.10m, output: 4.40m, cachedInput: 0.275m),
        Price("gpt-4-turbo", input: 10.00m, output: 30.00m),
        Price("gpt-4", input: 30.00m, output: 60.00m),
        Price("gpt-3.5-turbo", input: 0.50m, output: 1.50m),
        Price("text-embedding-3-small", input: 0.02m, output: 0m),
        Price("text-embedding-3-large", input: 0.13m, output: 0m),
        Price("text-embedding-ada-002", input: 0.10m, output: 0m),

        // Anthropic. Cache reads and 5-minute cache writes at their published rates.
        Price("claude-opus-4-5", input: 5.00m, output: 25.00m, cachedInput: 0.50m, cacheWrite: 6.25m),
        Price("claude-opus-4", input: 15.00m, output: 75.00m, cachedInput: 1.50m, cacheWrite: 18.75m),
        Price("claude-sonnet-4", input: 3.00m, output: 15.00m, cachedInput: 0.30m, cacheWrite: 3.75m),
        Price("claude-haiku-4-5", input: 1.00m, output: 5.00m, cachedInput: 0.10m, cacheWrite: 1.25m),
        Price("claude-3-7-sonnet", input: 3.00m, output: 15.00m, cachedInput: 0.30m, cacheWrite: 3.75m),
        Price("claude-3-5-sonnet", input: 3.00m, output: 15.00m, cachedInput: 0.30m, cacheWrite: 3.75m),
        Price("claude-3-5-haiku", input: 0.80m, output: 4.00m, cachedInput: 0.08m, cacheWrite: 1.00m),
        Price("claude-3-opus", input: 15.00m, output: 75.00m, cachedInput: 1.50m, cacheWrite: 18.75m),
        Price("claude-3-haiku", input: 0.25m, output: 1.25m, cachedInput: 0.03m, cacheWrite: 0.30m),

        // Google Gemini API (paid tier, prompts up to 200k tokens; cached input at the input price).
        Price("gemini-2.5-pro", input: 1.25m, output: 10.00m),
        Price("gemini-2.5-flash", input: 0.30m, output: 2.50m),
        Price("gemini-2.5-flash-lite", input: 0.10m, output: 0.40m),
        Price("gemini-2.0-flash", input: 0.10m, output: 0.40m),
        Price("gemini-2.0-flash-lite", input: 0.075m, output: 0.30m),
        Price("gemini-1.5-pro", input: 1.25m, output: 5.00m),
        Price("gemini-1.5-flash", input: 0.075m, output: 0.30m),
    ];

    private static ModelPrice Price(
        string model,
        decimal input,
        decimal output,
        decimal? cachedInput = null,
        decimal? cacheWrite = null,
        string? effectiveFrom = null,
        PriceMatch match = PriceMatch.Prefix) => new()
        {
            Model = model,
            Match = match,
            Input = input,
            Output = output,
            CachedInput = cachedInput,
            CacheWrite = cacheWrite,
            EffectiveFrom = effectiveFrom,
            IsDefault = true,
        };
}
