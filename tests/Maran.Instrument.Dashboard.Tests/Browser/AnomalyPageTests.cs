using Maran.Instrument.Alerts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>The anomaly band and marks on a reading's chart, the overview's and the costs' watched series, and the SLO panel, in a real browser over a real engine on a fake clock.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AnomalyPageTests(BrowserFixture fixture)
{
    static AnomalyPageTests() => SetDefaultExpectTimeout(15_000);

    private async Task<(IPage Page, List<string> Errors)> OpenAsync(TestDashboard server, string hash)
    {
        Chromium.Require();
        IPage page = await fixture.Browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
            }
        };
        await page.GotoAsync(new Uri(server.Url, hash).ToString());
        await page.Locator("#status[data-state=live]").WaitForAsync();
        return (page, errors);
    }

    [SkippableFact]
    public async Task A_watched_readings_chart_shades_its_expected_band_and_marks_the_injected_spike()
    {
        Chromium.Require();
        await using AnomalyWorkload workload = await AnomalyWorkload.StartAsync();
        workload.FeedSpike();

        (IPage page, List<string> errors) = await OpenAsync(workload.Server, "#/health");
        ILocator chart = page.Locator($"[data-chart='reading-{AnomalyWorkload.Metric}']");

        await Expect(chart).ToHaveAttributeAsync("data-anomaly-series", AnomalyWorkload.Metric);
        await Expect(chart).ToHaveAttributeAsync("data-anomaly-marks", "1");
        int banded = int.Parse(await chart.GetAttributeAsync("data-band-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(banded > 50, $"{banded} points of the band drawn");
        Assert.Equal(0, await page.Locator("[data-chart='health-score'][data-anomaly-series]").CountAsync());
        await page.CloseAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [SkippableFact]
    public async Task The_overview_charts_each_watched_series_with_its_band_and_marks_the_injected_spike()
    {
        Chromium.Require();
        await using AnomalyWorkload workload = await AnomalyWorkload.StartAsync();
        workload.FeedSpike();

        (IPage page, List<string> errors) = await OpenAsync(workload.Server, "#/overview");
        ILocator chart = page.Locator($"[data-block=watched] [data-chart=watched][data-anomaly-series='{AnomalyWorkload.Metric}']");

        await Expect(chart).ToHaveAttributeAsync("data-anomaly-marks", "1");
        int banded = int.Parse(await chart.GetAttributeAsync("data-band-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(banded > 50, $"{banded} points of the band drawn");
        await Expect(chart.Locator("[data-field=watched-note]")).ToContainTextAsync($"rule {AnomalyWorkload.Rule} · score");
        await chart.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Artifacts.Directory, "overview-watched-series.png") });
        await page.CloseAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [SkippableFact]
    public async Task The_costs_page_charts_a_models_watched_token_rate_with_its_band_and_marks_the_fivefold_spike()
    {
        Chromium.Require();
        await using AnomalyWorkload workload = await AnomalyWorkload.StartAsync();
        workload.FeedTokenSpike();

        (IPage page, List<string> errors) = await OpenAsync(workload.Server, "#/costs");
        ILocator chart = page.Locator($"[data-block=watched-costs] [data-chart=watched][data-rule='{AnomalyWorkload.TokenRule}']");

        await Expect(chart).ToHaveAttributeAsync("data-anomaly-series", $"{AlertMetrics.ModelTokensPerMinute}{{model={workload.Model}}}");
        await Expect(chart).ToHaveAttributeAsync("data-anomaly-marks", new System.Text.RegularExpressions.Regex("^[1-9]"));
        int banded = int.Parse(await chart.GetAttributeAsync("data-band-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(banded > 50, $"{banded} points of the band drawn");
        await chart.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Artifacts.Directory, "costs-watched-series.png") });
        await page.CloseAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [SkippableFact]
    public async Task The_slo_panel_shows_the_objective_the_budget_left_and_the_burn_rates()
    {
        Chromium.Require();
        await using AnomalyWorkload workload = await AnomalyWorkload.StartAsync();
        workload.RunCalls(0);
        workload.RunCalls(1000);

        (IPage page, List<string> errors) = await OpenAsync(workload.Server, "#/alerts");
        ILocator row = page.Locator($"[data-table=slos] tr[data-slo='{AnomalyWorkload.Slo}']");

        await Expect(row.Locator("[data-field=objective]")).ToHaveTextAsync("99%");
        await Expect(row.Locator("[data-field=budget]")).ToHaveTextAsync("-900%");
        await Expect(row.Locator("[data-window='1h']")).ToContainTextAsync("1h: 10×");
        await Expect(page.Locator($"[data-table=rules] tr[data-rule='{AnomalyWorkload.Rule}'] [data-kind=anomaly]")).ToContainTextAsync($"anomaly of {AnomalyWorkload.Metric}");
        await page.CloseAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
