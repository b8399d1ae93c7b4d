using System.Text.RegularExpressions;
using Maran.Instrument.Export;
using Maran.Instrument.Profiling;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Maran.Instrument.Dashboard.Tests;

[Collection(BrowserCollection.Name)]
public sealed class DashboardPageTests(BrowserFixture fixture)
{
    static DashboardPageTests() => SetDefaultExpectTimeout(15_000);

    [SkippableFact]
    public async Task Every_section_opens_from_the_navigation_without_a_script_error()
    {
        (IPage page, List<string> errors) = await fixture.OpenAsync();
        (string Section, string Shows)[] sections =
        [
            ("overview", "[data-metric=total-calls]"),
            ("performance", "tbody[data-table=operations] tr[data-operation]"),
            ("health", "[data-metric=score]"),
            ("errors", "tbody[data-table=error-groups] tr[data-group]"),
            ("costs", $"tbody[data-table=models] tr[data-model='{BrowserFixture.UnpricedModel}'] [data-unpriced]"),
            ("logs", "tbody[data-table=logs] tr.log-row"),
            ("alerts", "tbody[data-table=rules] tr[data-rule]"),
            ("agents", "tbody[data-table=agent-runs] tr[data-run]"),
            ("traces", "tbody[data-table=traces] tr[data-trace]"),
        ];

        foreach ((string section, string shows) in sections)
        {
            await page.Locator($"nav a[data-section={section}]").ClickAsync();
            await Expect(page.Locator($"[data-view={section}]")).ToBeVisibleAsync();
            await Expect(page.Locator($"[data-view={section}] {shows}").First).ToBeVisibleAsync();
        }

        // Errors and costs show what the workload did: its timeouts, and its tokens priced or not.
        await page.Locator("nav a[data-section=errors]").ClickAsync();
        await Expect(page.Locator("[data-metric=errors-total]")).ToHaveTextAsync(new Regex(@"^[1-9]"));
        await Expect(page.Locator("tbody[data-table=error-groups] tr", new() { HasText = "System.TimeoutException" }).First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-view=errors] [data-chart=errors-hourly] .u-over")).ToBeVisibleAsync();
        await page.Locator("nav a[data-section=costs]").ClickAsync();
        await Expect(page.Locator("[data-metric=cost-total]")).ToHaveTextAsync(new Regex(@"^\$(?!0\.00$)\d"));
        await Expect(page.Locator($"tbody[data-table=models] tr[data-model='{BrowserFixture.PricedModel}'] [data-field=cost]")).ToHaveTextAsync(new Regex(@"^\$"));
        await Expect(page.Locator($"tbody[data-table=models] tr[data-model='{BrowserFixture.UnpricedModel}'] [data-field=cost]")).ToHaveTextAsync("unpriced");
        await Expect(page.Locator("[data-budget=daily] [data-field=budget-percent]")).ToHaveTextAsync(new Regex("%$"));
        Assert.Equal(0, await page.Locator("[data-unavailable]").CountAsync());

        await page.CloseAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [SkippableFact]
    public async Task The_header_shows_the_service_name_instance_id_and_environment_of_the_process()
    {
        (IPage page, List<string> errors) = await fixture.OpenAsync();
        ServiceIdentity identity = fixture.Server.System.Identity;

        await Expect(page.Locator("header [data-identity=service]")).ToHaveTextAsync(identity.ServiceName);
        await Expect(page.Locator("header [data-identity=instance]")).ToHaveTextAsync(identity.InstanceId);
        await Expect(page.Locator("header [data-identity=environment]")).ToHaveTextAsync(identity.Environment!);
        await Expect(page.Locator("header [data-identity=instance-filter]")).ToHaveCountAsync(0);

        await page.CloseAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [SkippableFact]
    public async Task Overview_shows_live_totals_health_gauges_cost_today_and_alerts()
    {
        (IPage page, List<string> errors) = await fixture.OpenAsync();

        await Expect(page.Locator("[data-metric=total-calls]")).Not.ToHaveTextAsync("–");
        string before = await page.Locator("[data-metric=total-calls]").TextContentAsync() ?? string.Empty;
        await Expect(page.Locator("[data-metric=total-calls]")).Not.ToHaveTextAsync(before);
        await Expect(page.Locator("[data-metric=health-score]")).ToHaveTextAsync(new Regex(@"^\d"));
        await Expect(page.Locator("[data-metric=memory]")).ToHaveTextAsync(new Regex(@"%$"));
        await Expect(page.Locator("[data-metric=disk]")).ToHaveTextAsync(new Regex(@"%$"));
        await Expect(page.Locator("[data-metric=gpu]")).Not.ToBeEmptyAsync();
        await Expect(page.Locator("[data-metric=active-alerts]")).ToHaveTextAsync(new Regex(@"^\d+$"));
        await Expect(page.Locator("[data-metric=cost-today]")).ToHaveTextAsync(new Regex(@"^\$(?!0\.00$)\d"));
        await Expect(page.Locator("[data-metric=cost-today] ~ .tile-hint")).ToContainTextAsync("1 unpriced model");
        Assert.Equal(0, await page.Locator("[data-placeholder]").CountAsync());

        await page.CloseAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [SkippableFact]
    public async Task A_monitored_call_shows_up_in_the_performance_table_within_a_tick()
    {
        string name = "live-" + Guid.NewGuid().ToString("N")[..12];
        PerformanceProfiler profiler = fixture.Server.System.Profiler;
        profiler.EndOperation(profiler.StartOperation(name, "browser"));
        (IPage page, List<string> errors) = await fixture.OpenAsync("#/performance");
        await page.Locator("[data-control=filter]").FillAsync(name);
        ILocator calls = page.Locator("tbody[data-table=operations] tr", new() { HasText = name }).Locator("td[data-column=count]");
        await Expect(calls).ToHaveTextAsync("1");

        profiler.EndOperation(profiler.StartOperation(name, "browser"));

        await Expect(calls).ToHaveTextAsync("2");
        await page.CloseAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [SkippableFact]
    public async Task Markup_in_operation_names_components_and_exception_messages_is_shown_as_text()
    {
        string marker = Guid.NewGuid().ToString("N")[..8];
        string name = $"<script>window.__injected='{marker}'</script>";
        string component = $"<img src=x onerror=\"window.__injected='{marker}'\">";
        string message = $"<script>window.__injected='{marker}'</script> failed";
        OperationRegistry.GetOrAdd(name, component);
        PerformanceProfiler profiler = fixture.Server.System.Profiler;
        OperationToken token = profiler.StartOperation(name, component);
        profiler.EndOperation(token, OperationStatus.Error, new InvalidOperationException(message));

        (IPage page, List<string> errors) = await fixture.OpenAsync("#/performance");
        await page.Locator("[data-control=filter]").FillAsync(marker);
        ILocator row = page.Locator("tbody[data-table=operations] tr", new() { HasText = marker });
        await Expect(row.Locator(".op-name")).ToHaveTextAsync(name);
        await Expect(row.Locator(".op-component")).ToHaveTextAsync(component);
        await row.ClickAsync();
        await Expect(page.Locator("[data-list=error-types]")).ToContainTextAsync("System.InvalidOperationException");

        await page.Locator("nav a[data-section=traces]").ClickAsync();
        await page.Locator("[data-view=traces] [data-control=filter]").FillAsync(marker);
        await page.Locator("tbody[data-table=traces] tr[data-trace]", new() { HasText = marker }).ClickAsync();
        await Expect(page.Locator("[data-block=span] [data-field=status]")).ToContainTextAsync(message);

        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__injected"));
        Assert.Equal(0, await page.Locator("main img").CountAsync());
        Assert.Equal(0, await page.Locator("main script").CountAsync());
        await page.CloseAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [SkippableFact]
    public async Task Overview_and_section_screenshots_are_saved()
    {
        (IPage page, List<string> errors) = await fixture.OpenAsync();
        // Wait until the charts have a few seconds of history, so the picture shows trends.
        await page.WaitForFunctionAsync("() => document.querySelectorAll('.chart .u-over').length >= 2");
        await Expect(page.Locator("[data-metric=calls-per-second]")).ToHaveTextAsync(new Regex("[1-9]"));
        await Task.Delay(TimeSpan.FromSeconds(Artifacts.UpdateDocs ? 15 : 2));
        await Save(page, "dashboard-overview.png");

        await page.Locator("nav a[data-section=performance]").ClickAsync();
        await Expect(page.Locator("tbody[data-table=operations] tr[data-operation]").First).ToBeVisibleAsync();
        await page.Locator("tbody[data-table=operations] tr", new() { HasText = "generate" }).First.ClickAsync();
        await Expect(page.Locator("[data-block=selected]")).ToBeVisibleAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await Save(page, "dashboard-performance.png");

        await page.Locator("nav a[data-section=traces]").ClickAsync();
        await page.Locator("tbody[data-table=traces] tr[data-trace]", new() { HasText = "agent.run" }).First.ClickAsync();
        await Expect(page.Locator("[data-block=waterfall] .wf-row").Nth(3)).ToBeVisibleAsync();
        // Call trees are on: operations nested in agent.run never show as traces of their own.
        await Expect(page.Locator("tbody[data-table=traces] tr[data-trace]", new() { HasText = "rerank" })).ToHaveCountAsync(0);
        await Save(page, "dashboard-traces.png");

        await page.Locator("nav a[data-section=agents]").ClickAsync();
        await page.Locator("tbody[data-table=agent-runs] tr[data-run]", new() { HasText = "browser_weather_agent" }).Last.ClickAsync();
        await Expect(page.Locator("[data-block=waterfall] .wf-row").Nth(3)).ToBeVisibleAsync();
        await Save(page, "dashboard-agents.png");

        await page.Locator("nav a[data-section=health]").ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-view=health] .chart .u-over').length >= 4");
        await Save(page, "dashboard-health.png");

        await page.Locator("nav a[data-section=logs]").ClickAsync();
        await Expect(page.Locator("tbody[data-table=logs] tr.log-row").Nth(5)).ToBeVisibleAsync();
        await Save(page, "dashboard-logs.png");

        await page.Locator("nav a[data-section=alerts]").ClickAsync();
        await Expect(page.Locator("tbody[data-table=rules] tr[data-rule]").First).ToBeVisibleAsync();
        await Save(page, "dashboard-alerts.png");

        await page.Locator("nav a[data-section=errors]").ClickAsync();
        await page.Locator("tbody[data-table=error-groups] tr", new() { HasText = "System.TimeoutException" }).First.ClickAsync();
        await Expect(page.Locator("[data-list=occurrences] [data-field=stack]").First).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-view=errors] .chart .u-over').length >= 1");
        await Save(page, "dashboard-errors.png");

        await page.Locator("nav a[data-section=costs]").ClickAsync();
        await Expect(page.Locator("tbody[data-table=models] tr[data-model]").Nth(1)).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-view=costs] .chart .u-over').length >= 2");
        await Save(page, "dashboard-costs.png");

        await page.CloseAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private static async Task Save(IPage page, string file)
    {
        string path = Path.Combine(Artifacts.Directory, file);
        // From the top: a page scrolled down would show the sticky header part-way down the full-page picture.
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 10_000, $"{path} looks empty");
        if (Artifacts.UpdateDocs && file is "dashboard-overview.png" or "dashboard-performance.png" or "dashboard-health.png" or "dashboard-alerts.png"
            or "dashboard-errors.png" or "dashboard-costs.png" or "dashboard-agents.png")
        {
            string docs = Path.Combine(Artifacts.RepositoryRoot, "docs", "images");
            Directory.CreateDirectory(docs);
            File.Copy(path, Path.Combine(docs, file), overwrite: true);
        }
    }
}
