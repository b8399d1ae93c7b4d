using System.Globalization;
using Maran.Instrument.Costs;
using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>The <c>costs:</c> section of <c>monitoring_config.yaml</c>: model prices, compute rates, budgets and token estimation.</summary>
/// <example>
/// <code>
/// costs:
///   prices:
///     - model: my-finetune
///       input: 3.00
///       output: 12.00
///   compute_rates:
///     cpu: 0.05
///     gpu: 2.50
///   budgets:
///     daily_usd: 20
///     monthly_usd: 400
/// </code>
/// </example>
public sealed class CostSettings
{
    /// <summary>When false, no tokens or costs are recorded.</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary>Prices of models, added to (and for the same model, replacing) the shipped default table.</summary>
    [ConfigurationKeyName("prices")]
    public List<ModelPrice> Prices { get; set; } = [];

    /// <summary>Whether the shipped default table (OpenAI, Anthropic, Google; see the README for its date) is used.</summary>
    [ConfigurationKeyName("default_prices")]
    public bool DefaultPrices { get; set; } = true;

    /// <summary>
    /// USD per hour of each compute resource: <c>cpu</c> per CPU-core-hour of the process, <c>gpu</c> per busy
    /// GPU-hour, or a GPU's product name (as NVML reports it) for a rate of its own. Unpriced resources are not tracked.
    /// </summary>
    [ConfigurationKeyName("compute_rates")]
    public Dictionary<string, decimal> ComputeRates { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How often compute time is measured and priced (default 1m; 1s to 1d).</summary>
    [ConfigurationKeyName("compute_interval")]
    public TimeSpan ComputeInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Daily and monthly budgets, with the percentages at which they warn.</summary>
    [ConfigurationKeyName("budgets")]
    public BudgetSettings Budgets { get; set; } = new();

    /// <summary>
    /// When a response reports no usage, count its output tokens with a tokenizer (Microsoft.ML.Tokenizers) and
    /// mark the figure estimated. Needs the package <c>Microsoft.ML.Tokenizers.Data.O200kBase</c> or
    /// <c>Microsoft.ML.Tokenizers.Data.Cl100kBase</c> in the application.
    /// </summary>
    [ConfigurationKeyName("estimate_tokens")]
    public bool EstimateTokens { get; set; }

    /// <summary>The encoding used for models the tokenizer does not know: <c>o200k_base</c> (default) or <c>cl100k_base</c>.</summary>
    [ConfigurationKeyName("estimation_encoding")]
    public string EstimationEncoding { get; set; } = "o200k_base";

    /// <summary>Records waiting to be priced and stored at most (default 10,000; 1 to 1,000,000); beyond that new ones are dropped and counted.</summary>
    [ConfigurationKeyName("queue_capacity")]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>The most USD a price, rate or budget may be, so decimal arithmetic on it cannot overflow.</summary>
    internal const decimal MaxUsd = 1_000_000_000m;

    internal void Validate(OptionsBinder binder, string prefix)
    {
        for (int i = 0; i < Prices.Count; i++)
        {
            Prices[i].Validate(binder, $"{prefix}:prices:{i}");
        }

        foreach ((string resource, decimal rate) in ComputeRates)
        {
            if (rate is < 0 or > MaxUsd)
            {
                binder.Error($"{prefix}:compute_rates:{resource}", rate.ToString(CultureInfo.InvariantCulture), $"a rate must be between 0 and {MaxUsd} USD per hour");
            }
        }

        binder.CheckDuration($"{prefix}:compute_interval", ComputeInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), "the interval", minIncluded: true);

        if (EstimationEncoding is not ("o200k_base" or "cl100k_base"))
        {
            binder.Error($"{prefix}:estimation_encoding", EstimationEncoding, "expected o200k_base or cl100k_base");
        }

        binder.CheckRange($"{prefix}:queue_capacity", QueueCapacity, 1, 1_000_000, "the records the queue holds");

        Budgets.Validate(binder, $"{prefix}:budgets");
    }
}

/// <summary>The <c>costs.budgets:</c> section. Days and months are UTC.</summary>
public sealed class BudgetSettings
{
    /// <summary>USD per UTC day; unset means no daily budget.</summary>
    [ConfigurationKeyName("daily_usd")]
    public decimal? DailyUsd { get; set; }

    /// <summary>USD per UTC calendar month; unset means no monthly budget.</summary>
    [ConfigurationKeyName("monthly_usd")]
    public decimal? MonthlyUsd { get; set; }

    /// <summary>Percentages of a budget at which <see cref="CostTracker.BudgetThresholdReached"/> fires, once each per period.</summary>
    [ConfigurationKeyName("thresholds")]
    public List<double> Thresholds { get; set; } = [50, 80, 100];

    internal void Validate(OptionsBinder binder, string prefix)
    {
        if (DailyUsd is <= 0 or > CostSettings.MaxUsd)
        {
            binder.Error($"{prefix}:daily_usd", DailyUsd.Value.ToString(CultureInfo.InvariantCulture), $"a budget must be more than 0 and at most {CostSettings.MaxUsd} USD");
        }

        if (MonthlyUsd is <= 0 or > CostSettings.MaxUsd)
        {
            binder.Error($"{prefix}:monthly_usd", MonthlyUsd.Value.ToString(CultureInfo.InvariantCulture), $"a budget must be more than 0 and at most {CostSettings.MaxUsd} USD");
        }

        for (int i = 0; i < Thresholds.Count; i++)
        {
            binder.CheckRange($"{prefix}:thresholds:{i}", Thresholds[i], 0, 10_000, "a threshold (a percentage of the budget)");
        }
    }
}
