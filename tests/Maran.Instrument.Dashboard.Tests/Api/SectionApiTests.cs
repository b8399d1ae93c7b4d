using System.Net;
using System.Text.Json;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Dashboard.Tests;

public class SectionApiTests
{
    [Fact]
    public async Task Overview_counts_a_monitored_call_made_after_the_dashboard_started()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();
        string name = "overview-" + Guid.NewGuid().ToString("N");
        long before = (await server.GetJsonAsync("api/overview")).GetProperty("totalCalls").GetInt64();

        OperationToken token = server.System.Profiler.StartOperation(name, "api-test");
        server.System.Profiler.EndOperation(token);

        JsonElement overview = await server.WaitForJsonAsync("api/overview", o => o.GetProperty("totalCalls").GetInt64() > before);
        Assert.True(overview.GetProperty("operations").GetInt32() >= 1);
        Assert.False(overview.GetProperty("running").GetBoolean());
    }

    [Fact]
    public async Task Overview_shows_placeholders_not_figures_while_health_alerts_and_costs_have_nothing_to_say()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();

        JsonElement overview = await server.GetJsonAsync("api/overview");

        foreach (string part in new[] { "health", "costToday", "alerts" })
        {
            JsonElement placeholder = overview.GetProperty(part);
            Assert.False(placeholder.GetProperty("available").GetBoolean());
            Assert.StartsWith("Waiting for data", placeholder.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal(2, placeholder.EnumerateObject().Count());
        }
    }

    [Theory]
    [InlineData("health")]
    [InlineData("errors")]
    [InlineData("costs")]
    [InlineData("logs")]
    [InlineData("alerts")]
    public async Task A_section_with_its_data_source_is_listed_as_available(string section)
    {
        await using TestDashboard server = await TestDashboard.StartAsync();

        JsonElement listed = (await server.GetJsonAsync("api/sections")).EnumerateArray().Single(s => s.GetProperty("name").GetString() == section);

        Assert.True(listed.GetProperty("available").GetBoolean());
    }

    [Fact]
    public async Task Sections_are_listed_in_navigation_order()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();

        JsonElement sections = await server.GetJsonAsync("api/sections");

        Assert.Equal(
            ["overview", "performance", "health", "errors", "costs", "logs", "alerts", "agents", "traces"],
            sections.EnumerateArray().Select(s => s.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task An_unknown_section_is_not_found()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();

        using HttpResponseMessage response = await server.Http.GetAsync("api/nonsense");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Performance_pages_sorts_and_filters_thousands_of_operations()
    {
        string prefix = "paged-" + Guid.NewGuid().ToString("N")[..8] + "-";
        for (int i = 0; i < 2500; i++)
        {
            OperationRecorder recorder = OperationRegistry.GetOrAdd($"{prefix}{i:D4}", "paging");
            OperationScope scope = recorder.Start();
            scope.Complete();
        }

        await using TestDashboard server = await TestDashboard.StartAsync();

        JsonElement page = await server.GetJsonAsync($"api/performance?q={prefix}&page=3&size=100&sort=name&desc=false");

        Assert.Equal(2500, page.GetProperty("total").GetInt32());
        Assert.Equal(3, page.GetProperty("page").GetInt32());
        string?[] names = [.. page.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("name").GetString())];
        Assert.Equal(100, names.Length);
        Assert.Equal($"{prefix}0300", names[0]);
        Assert.Equal($"{prefix}0399", names[^1]);
    }

    [Fact]
    public async Task A_page_is_never_larger_than_the_largest_page_size_and_a_larger_one_is_refused()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();
        for (int i = 0; i < SectionQuery.MaxSize + 10; i++)
        {
            OperationRegistry.GetOrAdd($"big-page-{i}", "paging");
        }

        server.Hub.Tick();
        JsonElement page = await server.GetJsonAsync($"api/performance?size={SectionQuery.MaxSize}");
        using HttpResponseMessage larger = await server.Http.GetAsync("api/performance?size=100000");

        Assert.Equal(SectionQuery.MaxSize, page.GetProperty("size").GetInt32());
        Assert.Equal(SectionQuery.MaxSize, page.GetProperty("rows").GetArrayLength());
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, larger.StatusCode);
    }

    [Fact]
    public async Task The_selected_operation_comes_with_its_row_whatever_the_page()
    {
        string name = "selected-" + Guid.NewGuid().ToString("N");
        OperationRecorder recorder = OperationRegistry.GetOrAdd(name, "selection");
        await using TestDashboard server = await TestDashboard.StartAsync();

        JsonElement view = await server.GetJsonAsync($"api/performance?q=no-such-operation&selected={recorder.Id}");

        Assert.Equal(0, view.GetProperty("rows").GetArrayLength());
        Assert.Equal(name, view.GetProperty("selected").GetProperty("row").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Bottlenecks_rank_operations_by_total_time_and_by_p99()
    {
        string prefix = "bottleneck-" + Guid.NewGuid().ToString("N")[..8];
        await using TestDashboard server = await TestDashboard.StartAsync();
        RecordedCalls.Add(OperationRegistry.GetOrAdd(prefix + "-slow", "bottlenecks"), 1, TimeSpan.FromMilliseconds(50));

        server.Hub.Tick();
        JsonElement view = await server.GetJsonAsync("api/performance");

        Assert.Contains(view.GetProperty("byTotalTime").EnumerateArray(), b => b.GetProperty("totalMs").GetDouble() >= 50);
        double[] p99 = [.. view.GetProperty("byP99").EnumerateArray().Select(b => b.GetProperty("p99Ms").GetDouble())];
        Assert.Equal(p99.OrderDescending(), p99);
    }

    [Fact]
    public async Task Call_tree_edges_show_which_operation_ran_inside_which()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o => o.Monitoring.CallTree = true);
        server.System.Start();
        string parent = "tree-parent-" + Guid.NewGuid().ToString("N")[..8];
        using (server.System.Profiler.Operation(parent, "tree"))
        {
            using (server.System.Profiler.Operation("tree-child", "tree"))
            {
            }
        }

        server.Hub.Tick();
        JsonElement tree = (await server.GetJsonAsync("api/performance")).GetProperty("callTree");

        Assert.True(tree.GetProperty("enabled").GetBoolean());
        Assert.Contains(tree.GetProperty("edges").EnumerateArray(), e =>
            e.TryGetProperty("parentName", out JsonElement p) && p.GetString() == parent && e.GetProperty("name").GetString() == "tree-child");
    }

    [Fact]
    public async Task An_operation_without_a_trend_gets_an_empty_untracked_series_and_an_unknown_one_is_not_found()
    {
        OperationRecorder idle = OperationRegistry.GetOrAdd("idle-" + Guid.NewGuid().ToString("N"), "trends");
        await using TestDashboard server = await TestDashboard.StartAsync();

        JsonElement series = await server.GetJsonAsync($"api/trends/{idle.Id}");
        using HttpResponseMessage unknown = await server.Http.GetAsync($"api/trends/{int.MaxValue}");

        Assert.False(series.GetProperty("tracked").GetBoolean());
        Assert.Equal(0, series.GetProperty("times").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Trends_api_returns_aligned_bounded_series()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o => o.Dashboard.TrendMinutes = 1);
        for (int i = 0; i < 3; i++)
        {
            server.Hub.Tick();
        }

        JsonElement trends = await server.GetJsonAsync("api/trends");

        Assert.Equal(60, trends.GetProperty("capacity").GetInt32());
        int points = trends.GetProperty("times").GetArrayLength();
        Assert.InRange(points, 3, 60);
        Assert.Equal(points, trends.GetProperty("callsPerSecond").GetArrayLength());
        Assert.Equal(points, trends.GetProperty("p95Ms").GetArrayLength());
    }
}
