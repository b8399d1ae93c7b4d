using System.Globalization;
using System.Text.RegularExpressions;
using Maran.Instrument.Configuration;
using Maran.Instrument.Telemetry;
using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Costs;

/// <summary>How a price entry's <see cref="ModelPrice.Model"/> is compared with the model name of a call.</summary>
public enum PriceMatch
{
    /// <summary>The name starts with it (case-insensitive); the longest such entry wins. Covers dated snapshots such as <c>gpt-4o-2024-08-06</c>.</summary>
    Prefix,

    /// <summary>The name equals it (case-insensitive). Beats any prefix.</summary>
    Exact,

    /// <summary>The name matches it as a .NET regular expression (case-insensitive); used when no exact or prefix entry matches.</summary>
    Regex,
}

/// <summary>
/// The price of one model, in USD per million tokens: one entry of <c>costs.prices</c> in
/// <c>monitoring_config.yaml</c> or of the shipped default table.
/// </summary>
/// <example>
/// <code>
/// costs:
///   prices:
///     - model: my-finetune
///       match: exact
///       input: 3.00
///       output: 12.00
///       cached_input: 1.50
/// </code>
/// </example>
public sealed class ModelPrice
{
    /// <summary>The model name, name prefix or regular expression, per <see cref="Match"/>.</summary>
    [ConfigurationKeyName("model")]
    public string Model { get; set; } = string.Empty;

    /// <summary>How <see cref="Model"/> is matched: <c>prefix</c> (the default), <c>exact</c> or <c>regex</c>.</summary>
    [ConfigurationKeyName("match")]
    public PriceMatch Match { get; set; } = PriceMatch.Prefix;

    /// <summary>USD per million input tokens that were neither read from nor written to a cache.</summary>
    [ConfigurationKeyName("input")]
    public decimal Input { get; set; }

    /// <summary>USD per million output tokens (reasoning ones too, unless <see cref="Reasoning"/> is set).</summary>
    [ConfigurationKeyName("output")]
    public decimal Output { get; set; }

    /// <summary>USD per million input tokens read from the cache; the input price when unset.</summary>
    [ConfigurationKeyName("cached_input")]
    public decimal? CachedInput { get; set; }

    /// <summary>USD per million input tokens written to the cache; the input price when unset.</summary>
    [ConfigurationKeyName("cache_write")]
    public decimal? CacheWrite { get; set; }

    /// <summary>USD per million reasoning tokens; when unset they are output tokens at the output price.</summary>
    [ConfigurationKeyName("reasoning")]
    public decimal? Reasoning { get; set; }

    /// <summary>USD added to every call, for models billed per request.</summary>
    [ConfigurationKeyName("per_call")]
    public decimal? PerCall { get; set; }

    /// <summary>The first day (UTC, <c>yyyy-MM-dd</c>) the price applies; calls before it use an older entry for the same model.</summary>
    [ConfigurationKeyName("effective_from")]
    public string? EffectiveFrom { get; set; }

    /// <summary>Where the entry came from: <c>monitoring_config.yaml</c>, code, or the default table.</summary>
    internal bool IsDefault { get; init; }

    /// <summary>How long matching a model name against a regex entry may take before it counts as no match.</summary>
    internal static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    private volatile CompiledPattern? _pattern;

    /// <summary>
    /// The compiled regular expression of a <see cref="PriceMatch.Regex"/> entry, or null with the parser's reason in
    /// <paramref name="problem"/> when <see cref="Model"/> is not one. Compiled once per <see cref="Model"/> text, by
    /// validation first, so building the price table never throws.
    /// </summary>
    internal Regex? Pattern(out string? problem)
    {
        CompiledPattern? compiled = _pattern;
        if (compiled is null || !string.Equals(compiled.Source, Model, StringComparison.Ordinal))
        {
            try
            {
                compiled = new CompiledPattern(Model, new Regex(Model, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternTimeout), null);
            }
            catch (ArgumentException ex)
            {
                compiled = new CompiledPattern(Model, null, ex.Message);
            }

            _pattern = compiled;
        }

        problem = compiled.Problem;
        return compiled.Regex;
    }

    internal DateTimeOffset? EffectiveFromDate =>
        DateTimeOffset.TryParseExact(EffectiveFrom, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset date) ? date : null;

    /// <summary>The cost of <paramref name="usage"/> at this price, in USD, with decimal arithmetic.</summary>
    /// <remarks>
    /// Cached and cache-write tokens are part of the input count, so each input token is priced once: uncached at
    /// <see cref="Input"/>, cached at <see cref="CachedInput"/>, written at <see cref="CacheWrite"/>. Reasoning
    /// tokens are part of the output count and priced as output unless <see cref="Reasoning"/> is set.
    /// </remarks>
    public decimal CostOf(in TokenUsage usage)
    {
        const decimal PerMillion = 1_000_000m;
        long cached = Math.Min(usage.CachedInputTokens, usage.InputTokens);
        long written = Math.Min(usage.CacheWriteTokens, usage.InputTokens - cached);
        long uncached = usage.InputTokens - cached - written;
        long reasoning = Math.Min(usage.ReasoningTokens, usage.OutputTokens);

        // One division of the exact sum: decimal division costs several multiplications, and every priced call comes here.
        decimal perMillion = (uncached * Input) + (cached * (CachedInput ?? Input)) + (written * (CacheWrite ?? Input));
        perMillion += Reasoning is { } reasoningPrice
            ? ((usage.OutputTokens - reasoning) * Output) + (reasoning * reasoningPrice)
            : usage.OutputTokens * Output;
        return (perMillion / PerMillion) + (PerCall ?? 0m);
    }

    /// <summary>A pattern as compiled from <see cref="Source"/>: the regex, or why there is none.</summary>
    private sealed record CompiledPattern(string Source, Regex? Regex, string? Problem);

    internal void Validate(OptionsBinder binder, string prefix)
    {
        if (string.IsNullOrWhiteSpace(Model))
        {
            binder.Error($"{prefix}:model", Model, "every price needs the model name (or prefix, or regex) it applies to");
        }
        else if (Match == PriceMatch.Regex)
        {
            if (Pattern(out string? problem) is null)
            {
                binder.Error($"{prefix}:model", Model, "not a valid regular expression: " + problem);
            }
        }

        foreach ((string key, decimal? value) in new[] { ("input", (decimal?)Input), ("output", Output), ("cached_input", CachedInput), ("cache_write", CacheWrite), ("reasoning", Reasoning), ("per_call", PerCall) })
        {
            if (value is < 0 or > CostSettings.MaxUsd)
            {
                binder.Error($"{prefix}:{key}", value.Value.ToString(CultureInfo.InvariantCulture), $"a price must be between 0 and {CostSettings.MaxUsd} USD");
            }
        }

        if (EffectiveFrom is not null && EffectiveFromDate is null)
        {
            binder.Error($"{prefix}:effective_from", EffectiveFrom, "expected a date written yyyy-MM-dd, for example 2025-06-01");
        }
    }
}
