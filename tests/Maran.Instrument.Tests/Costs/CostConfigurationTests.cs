using System.Collections;
using Maran.Instrument.Configuration;
using Maran.Instrument.Costs;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Tests.Costs;

public class CostConfigurationTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Costs", "Fixtures", name);

    [Fact]
    public void Prices_rates_budgets_and_estimation_are_read_from_monitoring_config_yaml()
    {
        MonitoringOptions options = MonitoringOptions.Load(Fixture("costs.yaml"), new Hashtable());

        CostSettings costs = options.Costs;
        Assert.Equal(3, costs.Prices.Count);
        ModelPrice own = costs.Prices[0];
        Assert.Equal(("contoso-llm", PriceMatch.Exact, 0.40m, 1.20m, 0.10m, 2.40m, 0.0005m), (own.Model, own.Match, own.Input, own.Output, own.CachedInput, own.Reasoning, own.PerCall));
        Assert.Equal((PriceMatch.Prefix, "2026-01-01"), (costs.Prices[1].Match, costs.Prices[1].EffectiveFrom));
        Assert.Equal(PriceMatch.Regex, costs.Prices[2].Match);
        Assert.Equal(4.00m, costs.ComputeRates["nvidia h100 80gb hbm3"]);
        Assert.Equal(TimeSpan.FromSeconds(30), costs.ComputeInterval);
        Assert.Equal((25m, 500m), (costs.Budgets.DailyUsd, costs.Budgets.MonthlyUsd));
        Assert.Equal([75.0, 100.0], costs.Budgets.Thresholds);
        Assert.Equal((true, "cl100k_base"), (costs.EstimateTokens, costs.EstimationEncoding));
        Assert.Equal(["Contoso.Agents"], options.Errors.InAppInclude);
        Assert.Equal(12, options.Errors.NewGroupHours);
    }

    [Fact]
    public void Configured_prices_take_effect_in_the_tracker()
    {
        MonitoringOptions options = MonitoringOptions.Load(Fixture("costs.yaml"), new Hashtable());
        var table = new PriceTable(options.Costs.Prices, options.Costs.DefaultPrices);

        Assert.Equal(0.0005m + ((1000 * 0.40m) + (1000 * 1.20m)) / 1_000_000m, table.Find("contoso-llm", DateTimeOffset.UtcNow)!.CostOf(new TokenUsage(1000, 1000)));
        Assert.Equal(
            0.0005m + ((600 * 0.40m) + (400 * 0.10m) + (700 * 1.20m) + (300 * 2.40m)) / 1_000_000m,
            table.Find("contoso-llm", DateTimeOffset.UtcNow)!.CostOf(new TokenUsage(1000, 1000, cachedInputTokens: 400, reasoningTokens: 300)));
        Assert.Equal(2.00m, table.Find("gpt-4o-2026-02-01", new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero))!.Input);
        Assert.Null(table.Find("gpt-4o", new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(0m, table.Find("llama3.2:3b", DateTimeOffset.UtcNow)!.Input);
    }

    [Fact]
    public void Invalid_prices_and_budgets_are_reported_with_key_value_and_line()
    {
        var error = Assert.Throws<MonitoringConfigurationException>(() => MonitoringOptions.Load(Fixture("costs-invalid.yaml"), new Hashtable()));

        string message = error.Message;
        Assert.Contains("costs.prices.0.model", message, StringComparison.Ordinal);
        Assert.Contains("not a valid regular expression", message, StringComparison.Ordinal);
        Assert.Contains("costs.prices.1.input = '-0.5'", message, StringComparison.Ordinal);
        Assert.Contains("costs.prices.1.effective_from = 'next tuesday'", message, StringComparison.Ordinal);
        Assert.Contains("costs.budgets.daily_usd", message, StringComparison.Ordinal);
        Assert.Contains("costs.estimation_encoding = 'p50k_base'", message, StringComparison.Ordinal);
        Assert.Contains("costs-invalid.yaml line 8: costs.prices.1.input", message, StringComparison.Ordinal);
    }
}
