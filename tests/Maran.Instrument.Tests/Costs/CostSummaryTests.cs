using Maran.Instrument.Costs;
using Maran.Instrument.Tests.Errors;

namespace Maran.Instrument.Tests.Costs;

/// <summary>Breakdowns and history over a synthetic two-day history on a fake clock, in a real database.</summary>
public class CostSummaryTests
{
    private static readonly decimal PlanCall = ((1000 * 0.15m) + (200 * 0.60m)) / 1_000_000m;
    private static readonly decimal WriteCall = ((3000 * 3.00m) + (1000 * 15.00m)) / 1_000_000m;
    private const decimal Retrieval = 0.01m;

    // Every hour of two days: two planning calls on gpt-4o-mini, one writing call on Claude, one vector search.
    private static void WriteTwoDays(TrackerHarness harness)
    {
        for (int hour = 0; hour < 48; hour++)
        {
            harness.Time.SetUtcNow(TrackerHarness.Epoch.AddHours(hour).AddMinutes(5));
            harness.Costs.RecordTokens("gpt-4o-mini-2024-07-18", 1000, 200, component: "agent", operation: "plan");
            harness.Costs.RecordTokens("gpt-4o-mini-2024-07-18", 1000, 200, component: "agent", operation: "plan");
            harness.Costs.RecordTokens("claude-sonnet-4-5", 3000, 1000, component: "agent", operation: "write");
            harness.Costs.RecordCost("vector_db", Retrieval, "retrieval");
        }

        harness.Time.SetUtcNow(TrackerHarness.Epoch.AddHours(47).AddMinutes(30));
    }

    [Fact]
    public void The_total_and_its_breakdowns_add_up_exactly()
    {
        using var harness = new TrackerHarness().Start();
        WriteTwoDays(harness);

        harness.Costs.Flush();
        CostSummary summary = harness.Costs.GetCostSummary(48);

        decimal perHour = (2 * PlanCall) + WriteCall + Retrieval;
        Assert.Equal(48 * perHour, summary.TotalUsd);
        Assert.Equal(new TokenTotals(Calls: 144, Input: 48 * 5000, Output: 48 * 1400, CachedInput: 0, CacheWrite: 0, Reasoning: 0, EstimatedCalls: 0, CallsWithoutUsage: 0), summary.Tokens);
        Assert.Equal(["claude-sonnet-4-5", "gpt-4o-mini-2024-07-18"], summary.ByModel.Select(m => m.Model));
        Assert.Equal(48 * 2 * PlanCall, summary.ByModel[1].CostUsd);
        Assert.Equal(new Dictionary<string, decimal> { ["agent"] = 48 * ((2 * PlanCall) + WriteCall), ["retrieval"] = 48 * Retrieval }, summary.ByComponent);
        Assert.Equal(new Dictionary<string, decimal> { ["tokens"] = 48 * ((2 * PlanCall) + WriteCall), ["vector_db"] = 48 * Retrieval }, summary.ByResourceType);
        Assert.Equal(
            [("agent", "write", 48L, 48L * 4000), ("retrieval", string.Empty, 0L, 0L), ("agent", "plan", 96L, 96L * 1200)],
            summary.ByOperation.Select(o => (o.Component, o.Operation, o.Calls, o.Tokens)));
    }

    [Fact]
    public void Hourly_and_daily_history_cover_the_window()
    {
        using var harness = new TrackerHarness().Start();
        WriteTwoDays(harness);

        harness.Costs.Flush();
        CostSummary summary = harness.Costs.GetCostSummary(48);
        harness.Costs.Flush();
        CostSummary lastDay = harness.Costs.GetCostSummary(24);

        decimal perHour = (2 * PlanCall) + WriteCall + Retrieval;
        Assert.Equal(48, summary.Hourly.Count);
        Assert.All(summary.Hourly, h => Assert.Equal(perHour, h.CostUsd));
        Assert.Equal([(TrackerHarness.Epoch, 24 * perHour), (TrackerHarness.Epoch.AddDays(1), 24 * perHour)], summary.Daily.Select(d => (d.Start, d.CostUsd)));
        Assert.Equal(24 * perHour, lastDay.TotalUsd);
        Assert.Equal(TrackerHarness.Epoch.AddHours(24), lastDay.From);
    }

    [Fact]
    public async Task Costs_come_back_after_a_restart()
    {
        using var harness = new TrackerHarness().Start();
        WriteTwoDays(harness);
        harness.Costs.Flush();
        CostSummary before = harness.Costs.GetCostSummary(48);
        await harness.FlushAsync();

        harness.Restart();
        harness.Costs.Flush();
        CostSummary after = harness.Costs.GetCostSummary(48);

        Assert.Equal(before.TotalUsd, after.TotalUsd);
        Assert.Equal(before.Tokens, after.Tokens);
        Assert.Equal(before.ByModel, after.ByModel);
        Assert.Equal(before.Hourly, after.Hourly);
        Assert.Equal("0.00027", ScalarText(harness, "SELECT cost_usd FROM cost_events WHERE subject = 'gpt-4o-mini-2024-07-18' LIMIT 1"));
    }

    [Fact]
    public void Totals_since_start_are_kept_for_exporters_beyond_any_window()
    {
        using var harness = new TrackerHarness().Start();
        WriteTwoDays(harness);
        harness.Time.Advance(TimeSpan.FromDays(3));

        harness.Costs.Flush();
        CostTotals totals = harness.Costs.GetTotals();

        harness.Costs.Flush();
        Assert.Equal(0m, harness.Costs.GetCostSummary(24).TotalUsd);
        Assert.Equal(48 * ((2 * PlanCall) + WriteCall + Retrieval), totals.TotalUsd);
        UsageTotal plan = Assert.Single(totals.Usage, u => u.Operation == "plan");
        Assert.Equal((96L, 96L * 1000, 96 * PlanCall), (plan.Tokens.Calls, plan.Tokens.Input, plan.CostUsd!.Value));
    }

    private static string ScalarText(TrackerHarness harness, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={harness.DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string)command.ExecuteScalar()!;
    }
}
