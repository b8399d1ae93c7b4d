using Maran.Instrument.Costs;

namespace Maran.Instrument.Tests.Costs;

public class PriceTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static ModelPrice Price(string model, decimal input, decimal output = 0, PriceMatch match = PriceMatch.Prefix, string? from = null) =>
        new() { Model = model, Match = match, Input = input, Output = output, EffectiveFrom = from };

    [Fact]
    public void The_longest_prefix_wins_so_dated_snapshots_find_their_model()
    {
        var table = new PriceTable([], includeDefaults: true);

        Assert.Equal(0.15m, table.Find("gpt-4o-mini-2024-07-18", Now)!.Input);
        Assert.Equal(2.50m, table.Find("gpt-4o-2024-08-06", Now)!.Input);
        Assert.Equal(3.00m, table.Find("claude-sonnet-4-5-20250929", Now)!.Input);
        Assert.Equal(5.00m, table.Find("claude-opus-4-5-20251101", Now)!.Input);
        Assert.Equal(15.00m, table.Find("claude-opus-4-1-20250805", Now)!.Input);
    }

    [Fact]
    public void An_exact_entry_beats_any_prefix_and_matching_ignores_case()
    {
        var table = new PriceTable([], includeDefaults: true);

        Assert.Equal(5.00m, table.Find("GPT-4o-2024-05-13", Now)!.Input);
        Assert.Equal(2.50m, table.Find("gpt-4o-2024-05-14", Now)!.Input);
    }

    [Fact]
    public void A_regular_expression_applies_only_where_no_exact_or_prefix_entry_does()
    {
        var table = new PriceTable([Price("^(llama|qwen|gpt).*", 0.05m, 0.05m, PriceMatch.Regex)], includeDefaults: true);

        Assert.Equal(0.05m, table.Find("llama3.1:8b", Now)!.Input);
        Assert.Equal(0.05m, table.Find("qwen2.5:7b-instruct", Now)!.Input);
        Assert.Equal(2.50m, table.Find("gpt-4o", Now)!.Input);
    }

    [Fact]
    public void A_provider_prefix_in_the_model_name_is_tried_without_it()
    {
        var table = new PriceTable([], includeDefaults: true);

        Assert.Equal(2.50m, table.Find("openai/gpt-4o", Now)!.Input);
        Assert.Null(table.Find("openai/", Now));
    }

    [Fact]
    public void The_latest_price_in_effect_at_the_call_applies()
    {
        var table = new PriceTable([], includeDefaults: true);

        Assert.Null(table.Find("o3", new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(10.00m, table.Find("o3", new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero))!.Input);
        Assert.Equal(2.00m, table.Find("o3-2025-04-16", new DateTimeOffset(2025, 6, 10, 0, 0, 0, TimeSpan.Zero))!.Input);
    }

    [Fact]
    public void A_configured_price_replaces_the_defaults_for_the_same_model_and_adds_new_ones()
    {
        var table = new PriceTable([Price("gpt-4o", 1.00m), Price("my-finetune", 7.00m, match: PriceMatch.Exact)], includeDefaults: true);

        Assert.Equal(1.00m, table.Find("gpt-4o-2024-11-20", Now)!.Input);
        Assert.Equal(0.15m, table.Find("gpt-4o-mini", Now)!.Input);
        Assert.Equal(7.00m, table.Find("my-finetune", Now)!.Input);
        Assert.Null(table.Find("my-finetune-v2", Now));
    }

    [Fact]
    public void Without_the_default_table_only_configured_models_have_prices()
    {
        var table = new PriceTable([Price("my-model", 1)], includeDefaults: false);

        Assert.Null(table.Find("gpt-4o", Now));
        Assert.NotNull(table.Find("my-model", Now));
    }

    [Fact]
    public void The_default_table_states_the_date_it_was_checked()
    {
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", DefaultPrices.AsOf);
        Assert.All(DefaultPrices.All, p => Assert.True(p.Input > 0, p.Model));
    }
}
