using System.Text.Json;
using Maran.Instrument.Configuration;
using Maran.Instrument.Costs;

namespace Maran.Instrument.Dashboard.Tests;

public class CostsSectionTests
{
    /// <summary>A model the default price table does not know: its tokens are kept without a cost.</summary>
    internal const string UnpricedModel = "house-llama-local";

    private static async Task<TestDashboard> StartRunningAsync(Action<MonitoringOptions>? configure = null)
    {
        TestDashboard server = await TestDashboard.StartAsync(configure);
        server.System.Start();
        return server;
    }

    private static async Task<JsonElement> ViewAfterFlushAsync(TestDashboard server, string path)
    {
        await server.System.CostTracker.FlushAsync();
        server.Hub.Tick();
        return await server.GetJsonAsync(path);
    }

    [Fact]
    public async Task Tokens_of_a_priced_and_an_unpriced_model_are_broken_down_and_the_unpriced_one_has_no_cost()
    {
        await using TestDashboard server = await StartRunningAsync();
        CostTracker costs = server.System.CostTracker;
        decimal answer = costs.RecordTokens("gpt-4o-mini", input: 120_000, output: 30_000, cached: 100_000, component: "agent", operation: "answer")!.Value;
        decimal plan = costs.RecordTokens("gpt-4o-mini", input: 2_000, output: 500, reasoning: 200, component: "planner", operation: "plan")!.Value;
        Assert.Null(costs.RecordTokens(UnpricedModel, input: 5_000, output: 700, component: "agent", operation: "draft"));

        JsonElement view = await ViewAfterFlushAsync(server, "api/costs");

        Assert.Equal(answer + plan, view.GetProperty("totalUsd").GetDecimal());
        JsonElement tokens = view.GetProperty("tokens");
        Assert.Equal(3, tokens.GetProperty("calls").GetInt64());
        Assert.Equal(127_000, tokens.GetProperty("input").GetInt64());
        Assert.Equal(31_200, tokens.GetProperty("output").GetInt64());
        Assert.Equal(100_000, tokens.GetProperty("cachedInput").GetInt64());
        Assert.Equal(200, tokens.GetProperty("reasoning").GetInt64());
        JsonElement priced = Model(view, "gpt-4o-mini");
        Assert.Equal(answer + plan, priced.GetProperty("costUsd").GetDecimal());
        Assert.False(priced.GetProperty("unpriced").GetBoolean());
        JsonElement unpriced = Model(view, UnpricedModel);
        Assert.True(unpriced.GetProperty("unpriced").GetBoolean());
        Assert.False(unpriced.TryGetProperty("costUsd", out _));
        Assert.Equal(5_000, unpriced.GetProperty("tokens").GetProperty("input").GetInt64());
        Assert.Equal([UnpricedModel], view.GetProperty("unpricedModels").EnumerateArray().Select(static m => m.GetString()));
        Assert.Equal(answer, Amount(view, "byComponent", "agent"));
        Assert.Equal(answer + plan, Amount(view, "byResourceType", "tokens"));
        JsonElement draft = view.GetProperty("operations").GetProperty("rows").EnumerateArray().Single(o => o.GetProperty("operation").GetString() == "draft");
        Assert.Equal(0m, draft.GetProperty("costUsd").GetDecimal());
        Assert.Equal(1, draft.GetProperty("unpricedCalls").GetInt64());
        Assert.Equal(5_700, draft.GetProperty("tokens").GetInt64());
        Assert.Equal(0, view.GetProperty("operations").GetProperty("rows").EnumerateArray().Single(o => o.GetProperty("operation").GetString() == "plan").GetProperty("unpricedCalls").GetInt64());
        Assert.True(view.GetProperty("byComponent").GetProperty("top").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "agent").GetProperty("unpriced").GetBoolean());
        Assert.False(view.GetProperty("byComponent").GetProperty("top").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "planner").GetProperty("unpriced").GetBoolean());
        Assert.Equal(answer + plan, view.GetProperty("hourly").GetProperty("usd").EnumerateArray().Sum(static u => u.GetDecimal()));
        Assert.Equal(answer + plan, view.GetProperty("sinceStart").GetProperty("totalUsd").GetDecimal());
        Assert.Equal(1, view.GetProperty("sinceStart").GetProperty("unpricedModels").GetInt32());
    }

    [Fact]
    public async Task Estimated_token_counts_are_marked_as_estimated()
    {
        await using TestDashboard server = await StartRunningAsync();
        server.System.CostTracker.RecordTokens("gpt-4o-mini", input: 900, output: 100, estimated: true);
        server.System.CostTracker.RecordTokens("gpt-4o-mini", input: 900, output: 100);

        JsonElement tokens = Model(await ViewAfterFlushAsync(server, "api/costs"), "gpt-4o-mini").GetProperty("tokens");

        Assert.Equal(2, tokens.GetProperty("calls").GetInt64());
        Assert.Equal(1, tokens.GetProperty("estimatedCalls").GetInt64());
    }

    [Fact]
    public async Task Budget_use_shows_the_percentage_spent_and_the_thresholds_reached()
    {
        await using TestDashboard server = await StartRunningAsync(o =>
        {
            o.Costs.Budgets.DailyUsd = 1m;
            o.Costs.Budgets.MonthlyUsd = 100m;
            o.Costs.Budgets.Thresholds = [50, 80, 100];
        });
        decimal spent = server.System.CostTracker.RecordTokens("gpt-4o-mini", input: 1_000_000, output: 1_000_000)!.Value;
        Assert.InRange(spent, 0.5m, 0.8m);

        JsonElement view = await ViewAfterFlushAsync(server, "api/costs");
        JsonElement overview = (await server.GetJsonAsync("api/overview")).GetProperty("costToday");

        JsonElement daily = view.GetProperty("budgets").EnumerateArray().Single(b => b.GetProperty("period").GetString() == "daily");
        Assert.Equal(spent, daily.GetProperty("spentUsd").GetDecimal());
        Assert.Equal((double)Math.Round(spent * 100m, 2), daily.GetProperty("percent").GetDouble(), 2);
        Assert.Equal([true, false, false], daily.GetProperty("thresholds").EnumerateArray().Select(static t => t.GetProperty("reached").GetBoolean()));
        Assert.Contains(view.GetProperty("budgets").EnumerateArray(), b => b.GetProperty("period").GetString() == "monthly");
        Assert.Equal((double)Math.Round(spent * 100m, 2), overview.GetProperty("dailyBudgetPercent").GetDouble(), 2);
    }

    [Fact]
    public async Task The_overview_shows_the_cost_of_today_and_counts_the_unpriced_models()
    {
        await using TestDashboard server = await StartRunningAsync();
        decimal cost = server.System.CostTracker.RecordTokens("gpt-4o-mini", input: 10_000, output: 2_000)!.Value;
        server.System.CostTracker.RecordTokens(UnpricedModel, input: 300, output: 40);

        await ViewAfterFlushAsync(server, "api/costs");
        JsonElement today = (await server.GetJsonAsync("api/overview")).GetProperty("costToday");

        Assert.True(today.GetProperty("available").GetBoolean());
        Assert.Equal(cost, today.GetProperty("todayUsd").GetDecimal());
        Assert.Equal(12_340, today.GetProperty("todayTokens").GetInt64());
        Assert.Equal(1, today.GetProperty("unpricedModels").GetInt32());
        Assert.False(today.TryGetProperty("dailyBudgetPercent", out _));
    }

    [Fact]
    public async Task With_cost_tracking_off_the_overview_waits_and_the_section_says_why()
    {
        await using TestDashboard server = await StartRunningAsync(o => o.Costs.Enabled = false);

        JsonElement view = await server.GetJsonAsync("api/costs");
        JsonElement today = (await server.GetJsonAsync("api/overview")).GetProperty("costToday");

        Assert.False(view.GetProperty("enabled").GetBoolean());
        Assert.Contains("costs.enabled: false", view.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(today.GetProperty("available").GetBoolean());
        Assert.StartsWith("Waiting for data", today.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static JsonElement Model(JsonElement view, string model) =>
        view.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("model").GetString() == model);

    private static decimal Amount(JsonElement view, string breakdown, string name) =>
        view.GetProperty(breakdown).GetProperty("top").EnumerateArray().Single(a => a.GetProperty("name").GetString() == name).GetProperty("usd").GetDecimal();
}
