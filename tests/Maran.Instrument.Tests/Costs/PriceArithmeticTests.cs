using Maran.Instrument.Costs;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Tests.Costs;

public class PriceArithmeticTests
{
    private static readonly ModelPrice Gpt4o = new() { Model = "gpt-4o", Input = 2.50m, Output = 10.00m, CachedInput = 1.25m };

    [Fact]
    public void Cached_tokens_are_priced_once_as_the_cached_part_of_the_input()
    {
        decimal cost = Gpt4o.CostOf(new TokenUsage(inputTokens: 1000, outputTokens: 0, cachedInputTokens: 800));

        Assert.Equal(((200 * 2.50m) + (800 * 1.25m)) / 1_000_000m, cost);
    }

    [Fact]
    public void Cached_tokens_cost_the_input_price_when_the_model_has_no_cached_price()
    {
        var price = new ModelPrice { Model = "m", Input = 2m, Output = 4m };

        Assert.Equal(1000 * 2m / 1_000_000m, price.CostOf(new TokenUsage(1000, 0, cachedInputTokens: 800)));
    }

    [Fact]
    public void Cache_writes_cache_reads_and_the_rest_of_the_input_each_have_their_price()
    {
        var sonnet = new ModelPrice { Model = "claude-sonnet-4", Input = 3m, Output = 15m, CachedInput = 0.30m, CacheWrite = 3.75m };

        decimal cost = sonnet.CostOf(new TokenUsage(inputTokens: 10_000, outputTokens: 500, cachedInputTokens: 5000, cacheWriteTokens: 4000));

        Assert.Equal(((1000 * 3m) + (5000 * 0.30m) + (4000 * 3.75m) + (500 * 15m)) / 1_000_000m, cost);
    }

    [Fact]
    public void Reasoning_tokens_are_output_unless_they_have_a_price_of_their_own()
    {
        var usage = new TokenUsage(inputTokens: 100, outputTokens: 900, reasoningTokens: 800);
        var asOutput = new ModelPrice { Model = "o4-mini", Input = 1.10m, Output = 4.40m };
        var priced = new ModelPrice { Model = "thinker", Input = 1.10m, Output = 4.40m, Reasoning = 10m };

        Assert.Equal(((100 * 1.10m) + (900 * 4.40m)) / 1_000_000m, asOutput.CostOf(usage));
        Assert.Equal(((100 * 1.10m) + (100 * 4.40m) + (800 * 10m)) / 1_000_000m, priced.CostOf(usage));
    }

    [Fact]
    public void A_per_call_price_is_added_to_every_call()
    {
        var price = new ModelPrice { Model = "search-model", Input = 1m, Output = 1m, PerCall = 0.005m };

        Assert.Equal(0.005m + (2000 * 1m / 1_000_000m), price.CostOf(new TokenUsage(1000, 1000)));
        Assert.Equal(0.005m, price.CostOf(new TokenUsage(0, 0)));
    }

    [Fact]
    public void Sums_of_many_tiny_costs_are_exact_where_floating_point_drifts()
    {
        using var harness = new Errors.TrackerHarness(o => o.Costs.Prices.Add(new ModelPrice { Model = "cheap", Match = PriceMatch.Exact, Input = 0.1m })).Start();

        for (int i = 0; i < 1000; i++)
        {
            harness.Costs.RecordTokens("cheap", input: 3, output: 0);
        }

        harness.Costs.Flush();
        Assert.Equal(0.0003m, harness.Costs.GetCostSummary().TotalUsd);
        Assert.NotEqual(0.0003, Enumerable.Repeat(3 * 0.1 / 1_000_000, 1000).Sum());
    }

    [Fact]
    public void An_unknown_model_keeps_its_tokens_with_no_cost_and_is_warned_about_once()
    {
        using var harness = new Errors.TrackerHarness().Start();

        Assert.Null(harness.Costs.RecordTokens("acme-llm-7b", 1000, 200, component: "unknown_model"));
        Assert.Null(harness.Costs.RecordTokens("acme-llm-7b", 500, 100, component: "unknown_model"));

        harness.Costs.Flush();
        CostSummary summary = harness.Costs.GetCostSummary();
        ModelCost model = Assert.Single(summary.ByModel);
        Assert.Equal(("acme-llm-7b", 1500L, 300L, 2L, (decimal?)null), (model.Model, model.Tokens.Input, model.Tokens.Output, model.Tokens.Calls, model.CostUsd));
        Assert.Equal(["acme-llm-7b"], summary.UnpricedModels);
        Assert.Equal(0m, summary.TotalUsd);
        string warning = Assert.Single(harness.Costs.Warnings);
        Assert.Contains("'acme-llm-7b'", warning, StringComparison.Ordinal);
        Assert.Contains("costs.prices", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Tokens_that_name_no_model_fall_back_to_the_attribute_model_else_are_warned_about()
    {
        using var harness = new Errors.TrackerHarness().Start();
        IUsageListener listener = harness.Costs;

        listener.OnUsage(OperationRegistry.GetOrAdd("named", "costs_fallback", model: "gpt-4o-mini"), new TokenUsage(1000, 100));
        listener.OnUsage(OperationRegistry.GetOrAdd("anonymous", "costs_fallback"), new TokenUsage(1000, 100));

        harness.Costs.Flush();
        CostSummary summary = harness.Costs.GetCostSummary();
        Assert.Equal(((1000 * 0.15m) + (100 * 0.60m)) / 1_000_000m, summary.ByModel.Single(m => m.Model == "gpt-4o-mini").CostUsd);
        Assert.Null(summary.ByModel.Single(m => m.Model == "(unknown)").CostUsd);
        Assert.Contains("costs_fallback/anonymous", Assert.Single(harness.Costs.Warnings), StringComparison.Ordinal);
    }
}
