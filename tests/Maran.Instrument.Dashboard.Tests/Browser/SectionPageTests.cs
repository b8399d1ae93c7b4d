using System.Text.RegularExpressions;
using Maran.Instrument.Alerts;
using Maran.Instrument.Errors;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>The health, errors, logs and alerts sections in a real browser: filters, silencing, resolving, links and markup shown as text.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SectionPageTests(BrowserFixture fixture)
{
    static SectionPageTests() => SetDefaultExpectTimeout(15_000);

    [SkippableFact]
    public async Task A_log_filter_narrows_the_live_stream_and_a_trace_id_opens_its_trace()
    {
        string marker = "filter" + Guid.NewGuid().ToString("N")[..10];
        AdvancedMonitoringSystem system = fixture.Server.System;
        using (system.Profiler.Operation("log-" + marker, "browser-logs"))
        {
            system.Logger.Information("{Marker:l} routine step", marker);
            system.Logger.Error("{Marker:l} the tool failed", marker);
        }

        (IPage page, List<string> errors) = await fixture.OpenAsync("#/logs");
        ILocator rows = page.Locator("tbody[data-table=logs] tr.log-row");
        await Expect(page.Locator("[data-field=logs-state]")).ToContainTextAsync("following live");

        await page.Locator("[data-control=search]").FillAsync(marker);
        await Expect(rows).ToHaveCountAsync(2);
        await page.Locator("[data-control=level]").SelectOptionAsync("ERROR");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.Locator("[data-field=message]")).ToHaveTextAsync($"{marker} the tool failed");
        await Expect(rows.Locator(".badge")).ToHaveTextAsync("ERROR");
        await page.Locator("[data-control=level]").SelectOptionAsync(string.Empty);
        await page.Locator("[data-control=search]").FillAsync(string.Empty);
        await page.Locator("[data-control=operation]").FillAsync("log-" + marker);
        await Expect(rows).ToHaveCountAsync(2);

        await rows.First.Locator("a[data-link=trace]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/traces/[0-9a-f]{32}$"));
        await Expect(page.Locator("[data-block=waterfall] .wf-row").First).ToContainTextAsync("log-" + marker);
        await page.Locator("[data-block=waterfall] a[data-link=trace-logs]").ClickAsync();
        await Expect(page.Locator("[data-view=logs] tbody[data-table=logs] tr.log-row")).ToHaveCountAsync(2);

        await page.CloseAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [SkippableFact]
    public async Task Markup_in_a_log_line_is_shown_as_text()
    {
        string marker = Guid.NewGuid().ToString("N")[..8];
        string line = $"<script>window.__injected='{marker}'</script><img src=x onerror=\"window.__injected='{marker}'\"> log{marker}";
        fixture.Server.System.Logger.Warning("{Line:l}", line);

        (IPage page, List<string> errors) = await fixture.OpenAsync("#/logs");
        await page.Locator("[data-control=search]").FillAsync("log" + marker);
        ILocator rows = page.Locator("tbody[data-table=logs] tr.log-row");

        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.Locator("[data-field=message]")).ToHaveTextAsync(line);
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__injected"));
        Assert.Equal(0, await page.Locator("main img, main script, main b").CountAsync());
        await page.CloseAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [SkippableFact]
    public async Task An_error_group_shows_its_stack_context_and_trace_resolves_from_the_page_and_its_markup_shows_as_text()
    {
        // Letters only: digits and hex would be normalised out of the group's title.
        string marker = string.Concat(Guid.NewGuid().ToString("N").Take(12).Select(static c => (char)('g' + (c % 16))));
        string message = $"<script>window.__injected='{marker}'</script><img src=x onerror=\"window.__injected='{marker}'\"> {marker} broke";
        string operation = "errors-" + marker;
        ErrorsSectionTests.FailMonitoredCall(fixture.Server.System.Profiler, operation, "browser-errors", new InvalidOperationException(message), ("conversation", $"<b>{marker}</b>"));

        (IPage page, List<string> errors) = await fixture.OpenAsync("#/errors");
        await page.Locator("[data-view=errors] [data-control=filter]").FillAsync(marker);
        ILocator row = page.Locator("tbody[data-table=error-groups] tr[data-group]");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("[data-status]")).ToHaveTextAsync("new");
        await row.ClickAsync();

        ILocator occurrence = page.Locator("[data-list=occurrences] [data-occurrence]").First;
        await Expect(occurrence.Locator("[data-field=message]")).ToHaveTextAsync(message);
        await Expect(occurrence.Locator("[data-field=stack]")).ToContainTextAsync("AnswerTheQuestion");
        await Expect(occurrence.Locator("[data-field=context]")).ToContainTextAsync($"conversation=<b>{marker}</b>");
        await page.Locator("[data-control=resolve]").ClickAsync();
        await Expect(page.Locator("[data-block=group] [data-field=status]")).ToContainTextAsync("resolved");
        await Expect(row.Locator("[data-status]")).ToHaveTextAsync("resolved");
        fixture.Server.System.ErrorTracker.Flush();
        Assert.Equal(ErrorGroupStatus.Resolved, fixture.Server.System.ErrorTracker.GetGroup(await row.GetAttributeAsync("data-group") ?? string.Empty)?.Status);
        Assert.Equal(0, await page.Locator("main img, main script, main b").CountAsync());

        await occurrence.Locator("a[data-link=trace]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/traces/[0-9a-f]{32}$"));
        await Expect(page.Locator("[data-block=waterfall] .wf-row").First).ToContainTextAsync(operation);

        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__injected"));
        Assert.Equal(0, await page.Locator("main img, main script").CountAsync());
        await page.CloseAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [SkippableFact]
    public async Task An_alert_is_silenced_and_un_silenced_from_the_page_and_its_annotation_shows_as_text()
    {
        AlertEngine alerts = fixture.Server.System.Alerts;
        fixture.SetQueueDepth(500);
        try
        {
            (IPage page, List<string> errors) = await fixture.OpenAsync("#/alerts");
            ILocator row = page.Locator("tbody[data-table=active-alerts] tr[data-alert]", new() { HasText = BrowserFixture.QueueRule });
            await Expect(row.Locator("[data-field=summary]")).ToHaveTextAsync(
                BrowserFixture.QueueSummary.Replace("{{ $value }}", "500", StringComparison.Ordinal));

            await page.Locator("[data-control=silence-minutes]").SelectOptionAsync("15");
            await page.Locator("[data-control=silence-comment]").FillAsync("<i>rolling out</i>");
            await row.Locator("[data-control=silence]").ClickAsync();

            await Expect(row.Locator("[data-field=silenced]")).ToContainTextAsync("silenced until");
            Silence silence = Assert.Single(alerts.GetSilences(), s => s.Matchers.GetValueOrDefault("alertname") == BrowserFixture.QueueRule);
            Assert.Equal(TimeSpan.FromMinutes(15), silence.EndsAt - silence.StartsAt);
            Assert.Equal("<i>rolling out</i>", silence.Comment);
            await Expect(page.Locator($"tbody[data-table=silences] tr[data-silence='{silence.Id}']")).ToContainTextAsync("<i>rolling out</i>");

            await row.Locator("[data-control=unsilence]").ClickAsync();

            await Expect(row.Locator("[data-control=silence]")).ToBeVisibleAsync();
            Assert.DoesNotContain(alerts.GetSilences(), s => s.Id == silence.Id);
            Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__injected"));
            Assert.Equal(0, await page.Locator("main script, main b, main i").CountAsync());
            await page.CloseAsync();
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
        finally
        {
            fixture.SetQueueDepth(3);
        }
    }

    [SkippableFact]
    public async Task Health_charts_each_reading_with_its_threshold_and_lists_gpus_or_why_there_are_none()
    {
        (IPage page, List<string> errors) = await fixture.OpenAsync("#/health");

        await Expect(page.Locator("[data-metric=score]")).ToHaveTextAsync(new Regex(@"^\d"));
        ILocator memory = page.Locator("[data-chart='reading-memory_percent']");
        await Expect(memory.Locator("h3")).ToContainTextAsync("threshold 85%");
        await Expect(memory.Locator(".u-legend")).ToContainTextAsync("threshold");
        await Expect(page.Locator($"[data-view=health] [data-chart='reading-{BrowserFixture.QueueMetric}']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-field=gpu-status]")).Not.ToBeEmptyAsync();
        string status = fixture.Server.System.HealthMonitor.Latest!.Snapshot.GpuStatus;
        await Expect(page.Locator("[data-field=gpu-status]")).ToHaveTextAsync(status);

        await page.CloseAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [SkippableFact]
    public async Task A_threshold_passed_shows_as_a_violation_on_the_health_page()
    {
        fixture.SetQueueDepth(500);
        try
        {
            (IPage page, List<string> errors) = await fixture.OpenAsync("#/health");

            await Expect(page.Locator("tbody[data-table=violations] tr", new() { HasText = BrowserFixture.QueueMetric })).ToContainTextAsync("500");
            await Expect(page.Locator("tbody[data-table=episodes] tr", new() { HasText = BrowserFixture.QueueMetric }).First).ToContainTextAsync("now");

            await page.CloseAsync();
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
        finally
        {
            fixture.SetQueueDepth(3);
        }
    }
}
