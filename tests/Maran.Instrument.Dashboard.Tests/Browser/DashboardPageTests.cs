using System.Text.RegularExpressions;
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
        string[] sections = ["overview", "performance", "health", "errors", "costs", "logs", "alerts", "traces"];

        foreach (string section in sections)
        {
            await page.Locator($"nav a[data-section={section}]").ClickAsync();
            await Expect(page.Locator($"[data-view={section}]")).ToBeVisibleAsync();
        }

        foreach (string absent in new[] { "health", "errors", "costs", "logs", "alerts" })
        {
            await page.Locator($"nav a[data-section={absent}]").ClickAsync();
            await Expect(page.Locator($"[data-unavailable={absent}]")).ToContainTextAsync("Not available in this build");
        }

        await page.CloseAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [SkippableFact]
    public async Task Overview_shows_live_totals_and_waits_for_data_it_does_not_have()
    {
        (IPage page, List<string> errors) = await fixture.OpenAsync();

        await Expect(page.Locator("[data-metric=total-calls]")).Not.ToHaveTextAsync("–");
        string before = await page.Locator("[data-metric=total-calls]").TextContentAsync() ?? string.Empty;
        await Expect(page.Locator("[data-metric=total-calls]")).Not.ToHaveTextAsync(before);
        foreach (string placeholder in new[] { "health", "gauges", "cost-today", "alerts" })
        {
            await Expect(page.Locator($"[data-placeholder={placeholder}]")).ToContainTextAsync("waiting for data");
        }

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
    public async Task Overview_and_performance_screenshots_are_saved()
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

        await page.CloseAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private static async Task Save(IPage page, string file)
    {
        string path = Path.Combine(Artifacts.Directory, file);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 10_000, $"{path} looks empty");
        if (Artifacts.UpdateDocs && file != "dashboard-traces.png")
        {
            string docs = Path.Combine(Artifacts.RepositoryRoot, "docs", "images");
            Directory.CreateDirectory(docs);
            File.Copy(path, Path.Combine(docs, file), overwrite: true);
        }
    }
}
