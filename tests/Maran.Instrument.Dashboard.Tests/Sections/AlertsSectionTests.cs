using System.Net;
using System.Text.Json;
using Maran.Instrument.Alerts;
using Maran.Instrument.Configuration;

namespace Maran.Instrument.Dashboard.Tests;

public class AlertsSectionTests
{
    internal const string Rule = "QueueBacklog";

    /// <summary>A started dashboard whose only rule fires while <c>queue_depth</c> is above 100.</summary>
    internal static async Task<TestDashboard> StartWithRuleAsync(Action<MonitoringOptions>? configure = null, string summary = "the queue holds {{ $value }} items")
    {
        TestDashboard server = await TestDashboard.StartAsync(o =>
        {
            o.Alerts.DefaultRules = false;
            configure?.Invoke(o);
        });
        server.System.Alerts.DeclareMetric("queue_depth");
        server.System.Alerts.AddRule(AlertRule.Create(Rule).When("queue_depth").Above(100)
            .WithSeverity(AlertSeverity.Critical).Label("team", "search").Annotation("summary", summary).Build());
        server.System.Start();
        return server;
    }

    [Fact]
    public async Task A_firing_alert_is_listed_with_its_labels_and_annotations_and_counted_on_the_overview()
    {
        await using TestDashboard server = await StartWithRuleAsync();
        server.System.Alerts.SetCustomMetric("queue_depth", 500);
        server.System.Alerts.Evaluate();

        server.Hub.Tick();
        JsonElement view = await server.GetJsonAsync("api/alerts");
        JsonElement overview = (await server.GetJsonAsync("api/overview")).GetProperty("alerts");

        JsonElement alert = Assert.Single(view.GetProperty("active").EnumerateArray());
        Assert.Equal(Rule, alert.GetProperty("rule").GetString());
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
        Assert.Equal("firing", alert.GetProperty("state").GetString());
        Assert.Contains(alert.GetProperty("labels").EnumerateArray(), l => l.GetProperty("name").GetString() == "team" && l.GetProperty("value").GetString() == "search");
        Assert.Contains(alert.GetProperty("annotations").EnumerateArray(), a => a.GetProperty("value").GetString() == "the queue holds 500 items");
        Assert.False(alert.TryGetProperty("silence", out _));
        Assert.True(overview.GetProperty("available").GetBoolean());
        Assert.Equal(1, overview.GetProperty("firing").GetInt32());
        Assert.Equal(Rule, overview.GetProperty("top")[0].GetProperty("rule").GetString());
        Assert.Contains(view.GetProperty("rules").EnumerateArray(), r => r.GetProperty("name").GetString() == Rule && r.GetProperty("firing").GetInt32() == 1);
    }

    [Fact]
    public async Task Silencing_from_the_page_holds_the_alert_back_and_un_silencing_releases_it()
    {
        await using TestDashboard server = await StartWithRuleAsync();
        server.System.Alerts.SetCustomMetric("queue_depth", 500);
        server.System.Alerts.Evaluate();
        string fingerprint = server.System.Alerts.GetActiveAlerts()[0].Fingerprint;

        using HttpResponseMessage silenced = await server.PostAsPageAsync("api/alerts/silences", $$"""{"fingerprint":"{{fingerprint}}","minutes":30,"comment":"deploying"}""");
        server.Hub.Tick();
        JsonElement alert = (await server.GetJsonAsync("api/alerts")).GetProperty("active")[0];
        Silence silence = Assert.Single(server.System.Alerts.GetSilences());

        Assert.Equal(HttpStatusCode.Created, silenced.StatusCode);
        Assert.Equal(server.System.Alerts.GetActiveAlerts()[0].Labels.OrderBy(l => l.Key), silence.Matchers.OrderBy(l => l.Key));
        Assert.Equal("deploying", silence.Comment);
        Assert.StartsWith("dashboard at ", silence.CreatedBy, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(30), silence.EndsAt - silence.StartsAt);
        Assert.Equal(silence.Id.ToString(), alert.GetProperty("silence").GetProperty("id").GetString());
        Assert.Equal(1, (await server.GetJsonAsync("api/overview")).GetProperty("alerts").GetProperty("silenced").GetInt32());

        using HttpResponseMessage ended = await server.PostAsPageAsync($"api/alerts/silences/{silence.Id}/expire", "{}");
        using HttpResponseMessage again = await server.PostAsPageAsync($"api/alerts/silences/{silence.Id}/expire", "{}");
        server.Hub.Tick();

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Empty(server.System.Alerts.GetSilences());
        Assert.False((await server.GetJsonAsync("api/alerts")).GetProperty("active")[0].TryGetProperty("silence", out _));
    }

    [Theory]
    [InlineData("""{"fingerprint":"0000000000000000"}""", HttpStatusCode.NotFound)]
    [InlineData("""{"comment":"no target"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"matchers":{"alertname":"QueueBacklog"},"minutes":0}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"matchers":{"alertname":"QueueBacklog"},"minutes":100000}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"matchers":{"":"x"}}""", HttpStatusCode.BadRequest)]
    [InlineData("""not json""", HttpStatusCode.BadRequest)]
    [InlineData("""{"matchers":{"alertname":"QueueBacklog"}}""", HttpStatusCode.Created)]
    public async Task A_silence_request_is_checked_and_answered_in_a_sentence(string body, HttpStatusCode expected)
    {
        await using TestDashboard server = await StartWithRuleAsync();

        using HttpResponseMessage response = await server.PostAsPageAsync("api/alerts/silences", body);

        Assert.Equal(expected, response.StatusCode);
        JsonElement answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        if (expected == HttpStatusCode.Created)
        {
            Assert.Equal(TimeSpan.FromHours(1), answer.GetProperty("endsAt").GetDateTimeOffset() - answer.GetProperty("startsAt").GetDateTimeOffset());
        }
        else
        {
            Assert.EndsWith(".", answer.GetProperty("error").GetString()!.TrimEnd(), StringComparison.Ordinal);
            Assert.Empty(server.System.Alerts.GetSilences());
        }
    }

    [Fact]
    public async Task A_body_larger_than_the_limit_is_refused()
    {
        await using TestDashboard server = await StartWithRuleAsync();

        using HttpResponseMessage response = await server.PostAsPageAsync("api/alerts/silences", $$"""{"comment":"{{new string('x', DashboardEndpoints.MaxBody)}}"}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task The_history_shows_each_state_change_and_the_analysis_counts_firings_and_resolutions()
    {
        await using TestDashboard server = await StartWithRuleAsync();
        server.System.Alerts.SetCustomMetric("queue_depth", 500);
        server.System.Alerts.Evaluate();
        server.System.Alerts.SetCustomMetric("queue_depth", 5);
        server.System.Alerts.Evaluate();

        server.Hub.Tick();
        JsonElement view = await server.GetJsonAsync($"api/alerts?q={Rule}");
        JsonElement page = await server.GetJsonAsync($"api/alerts?q={Rule}&size=1&page=1");

        string[] states = [.. view.GetProperty("history").GetProperty("rows").EnumerateArray()
            .Where(r => r.GetProperty("kind").GetString() == "state").Select(r => r.GetProperty("state").GetString()!)];
        Assert.Equal("resolved", states[0]);
        Assert.Contains("firing", states);
        Assert.Equal(view.GetProperty("history").GetProperty("rows")[1].GetProperty("time").GetInt64(), page.GetProperty("history").GetProperty("rows")[0].GetProperty("time").GetInt64());
        JsonElement statistics = Assert.Single(view.GetProperty("analysis").GetProperty("rules").EnumerateArray());
        Assert.Equal(1, statistics.GetProperty("fired").GetInt32());
        Assert.Equal(1, statistics.GetProperty("resolved").GetInt32());
        Assert.Empty(view.GetProperty("active").EnumerateArray());
    }

    [Fact]
    public async Task Without_a_running_system_the_overview_waits_and_the_section_says_why()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();

        JsonElement view = await server.GetJsonAsync("api/alerts");
        JsonElement overview = (await server.GetJsonAsync("api/overview")).GetProperty("alerts");

        Assert.Contains("while the monitoring system runs", view.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(overview.GetProperty("available").GetBoolean());
        Assert.StartsWith("Waiting for data", overview.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
