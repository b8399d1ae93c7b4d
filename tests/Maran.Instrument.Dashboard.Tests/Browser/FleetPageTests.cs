using System.Text.Json;
using System.Text.RegularExpressions;
using Maran.Instrument.Configuration;
using Maran.Instrument.Integration.Tests.Export;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>
/// The fleet dashboard's page in Chromium: two process dashboards serve /metrics, a real Prometheus scrapes both, and a
/// third dashboard reads Prometheus (<c>dashboard.source: prometheus</c>).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FleetPageTests(BrowserFixture fixture)
{
    static FleetPageTests() => SetDefaultExpectTimeout(15_000);

    [SkippableFact]
    public async Task The_header_names_the_prometheus_server_and_its_selector_narrows_the_page_and_its_trends_to_one_instance()
    {
        Chromium.Require();
        Skip.If(PrometheusServer.Find("prometheus") is null, "prometheus is not installed (apt-get install prometheus)");
        await using TestDashboard first = await TestDashboard.StartAsync(static o => o.Monitoring.Instance = "replica-a");
        await using TestDashboard second = await TestDashboard.StartAsync(static o => o.Monitoring.Instance = "replica-b");
        // Two seconds to answer a scrape: under the whole suite a dashboard's /metrics can take longer than one, and a
        // target whose scrape times out is down.
        using PrometheusServer prometheus = PrometheusServer.Start([new Uri(first.Url, "metrics"), new Uri(second.Url, "metrics")], scrapeIntervalSeconds: 2);
        await using TestDashboard fleet = await TestDashboard.StartAsync(o =>
        {
            o.Dashboard.Source = DashboardSource.Prometheus;
            o.Dashboard.PrometheusUrl = prometheus.Api.AbsoluteUri;
        });
        // Prometheus has to start and scrape both dashboards first: on a loaded CI machine that alone can take 20 s.
        try
        {
            await fleet.WaitForJsonAsync(
                "api/overview",
                static o => o.TryGetProperty("instances", out JsonElement i) && i.EnumerateArray().Count(static x => x.GetProperty("up").GetBoolean()) == 2,
                TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException ex)
        {
            Assert.Fail(ex.Message + "\nPrometheus's targets: " + await prometheus.TargetsAsync());
        }

        (IPage page, List<string> errors) = await fixture.OpenAsync(dashboard: fleet.Url);
        await Expect(page.Locator("header [data-identity=service]")).ToHaveTextAsync("fleet");
        await Expect(page.Locator("header [data-identity=prometheus]")).ToHaveTextAsync(prometheus.Api.AbsoluteUri);
        ILocator options = page.Locator("header select[data-identity=instance-filter] option");
        await Expect(options).ToHaveCountAsync(3);
        await Expect(page.Locator("tbody[data-table=instances] tr[data-up=true]")).ToHaveCountAsync(2);

        string chosen = second.Url.Authority;
        // The page reloads narrowed to the instance, and reads its trends for that instance too.
        IRequest trends = await page.RunAndWaitForRequestAsync(
            () => page.Locator("header select[data-identity=instance-filter]").SelectOptionAsync(chosen),
            request => request.Url.Contains("api/trends", StringComparison.Ordinal),
            new PageRunAndWaitForRequestOptions { Timeout = 90_000 });
        Assert.Equal(chosen, System.Web.HttpUtility.ParseQueryString(new Uri(trends.Url).Query)["instance"]);
        await Expect(page).ToHaveURLAsync(new Regex("[?&]instance=" + Regex.Escape(Uri.EscapeDataString(chosen))));
        await page.Locator("#status[data-state=live]").WaitForAsync();
        await Expect(page.Locator($"tbody[data-table=instances] tr[data-instance='{chosen}']")).ToHaveCountAsync(1);
        await Expect(page.Locator("tbody[data-table=instances] tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("header select[data-identity=instance-filter]")).ToHaveValueAsync(chosen);
        await Expect(options.Filter(new() { HasText = "replica-b" })).ToHaveCountAsync(1);

        await page.Locator("nav a[data-section=logs]").ClickAsync();
        await Expect(page.Locator("[data-unavailable=logs]")).ToContainTextAsync($"the dashboard of {chosen} itself");

        await page.CloseAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
