using System.Text.Json;
using Maran.Instrument.Alerts;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>The health and alerts sections' JSON for anomaly, forecast and SLO rules, from a real engine on a fake clock.</summary>
public sealed class AnomalyAndSloSectionTests
{
    [Fact]
    public async Task The_health_section_gives_a_watched_readings_band_and_scores_and_marks_the_spike_anomalous()
    {
        await using AnomalyWorkload workload = await AnomalyWorkload.StartAsync();
        workload.FeedSpike();

        JsonElement health = await workload.Server.WaitForJsonAsync("api/health", static j =>
            j.GetProperty("anomalies").GetArrayLength() > 0
            && j.GetProperty("anomalies")[0].GetProperty("points").EnumerateArray().LastOrDefault().TryGetProperty("value", out JsonElement v)
            && v.ValueKind == JsonValueKind.Number && v.GetDouble() == 400);

        JsonElement series = Assert.Single(health.GetProperty("anomalies").EnumerateArray());
        Assert.Equal((AnomalyWorkload.Rule, AnomalyWorkload.Metric, AnomalyWorkload.Metric, 0.5),
            (series.GetProperty("rule").GetString(), series.GetProperty("metric").GetString(), series.GetProperty("series").GetString(), series.GetProperty("minScore").GetDouble()));
        JsonElement[] points = [.. series.GetProperty("points").EnumerateArray()];
        JsonElement spike = points[^1];
        Assert.True(spike.GetProperty("anomalous").GetBoolean());
        Assert.InRange(spike.GetProperty("score").GetDouble(), 0.5, 1);
        Assert.True(spike.GetProperty("upper").GetDouble() < 400, "the spike lies above its band");
        JsonElement steady = points[^2];
        Assert.False(steady.GetProperty("anomalous").GetBoolean());
        Assert.InRange(steady.GetProperty("value").GetDouble(), steady.GetProperty("lower").GetDouble(), steady.GetProperty("upper").GetDouble());
    }

    [Fact]
    public async Task The_alerts_section_lists_the_anomaly_alert_the_rules_of_each_kind_in_their_own_words_and_the_slos_budget()
    {
        await using AnomalyWorkload workload = await AnomalyWorkload.StartAsync();
        workload.FeedSpike();
        JsonElement spiked = await workload.Server.WaitForJsonAsync("api/alerts", static j =>
            j.GetProperty("active").EnumerateArray().Any(static a => a.GetProperty("rule").GetString() == AnomalyWorkload.Rule));
        JsonElement active = Assert.Single(spiked.GetProperty("active").EnumerateArray());
        Assert.Equal(("firing", 400.0), (active.GetProperty("state").GetString(), active.GetProperty("value").GetDouble()));

        workload.RunCalls(100);
        JsonElement alerts = await workload.Server.WaitForJsonAsync("api/alerts", static j =>
            j.GetProperty("slos").EnumerateArray().Any(static s => s.GetProperty("total").GetDouble() == 100));

        var rules = alerts.GetProperty("rules").EnumerateArray().ToDictionary(static r => r.GetProperty("name").GetString()!, static r => (r.GetProperty("kind").GetString(), r.GetProperty("condition").GetString()));
        Assert.Equal(("anomaly", $"anomaly of {AnomalyWorkload.Metric} (score >= 0.5, above)"), rules[AnomalyWorkload.Rule]);
        Assert.Equal(("forecast", $"{AnomalyWorkload.Metric} forecast to reach 5000 within 1h (holt)"), rules["QueueFull"]);
        Assert.Equal(("slo", $"SLO {AnomalyWorkload.Slo} burns its error budget at >= 14.4x over 1h and 5m"), rules[AnomalyWorkload.Slo + "_burn_1h"]);

        JsonElement slo = Assert.Single(alerts.GetProperty("slos").EnumerateArray());
        Assert.Equal((AnomalyWorkload.Slo, 0.99, 90.0, 100.0), (slo.GetProperty("name").GetString(), slo.GetProperty("objective").GetDouble(), slo.GetProperty("good").GetDouble(), slo.GetProperty("total").GetDouble()));
        Assert.Equal(-9, slo.GetProperty("errorBudgetRemaining").GetDouble(), 9);
        JsonElement hour = Assert.Single(slo.GetProperty("burnRates").EnumerateArray(), static b => b.GetProperty("window").GetString() == "1h");
        Assert.Equal(10, hour.GetProperty("burnRate").GetDouble(), 9);
    }

    [Fact]
    public async Task The_selected_operation_gives_its_watched_call_rate_with_band_and_scores_for_its_charts()
    {
        await using AnomalyWorkload workload = await AnomalyWorkload.StartAsync();
        for (int i = 0; i < 40; i++)
        {
            workload.RunCalls(50);
        }

        int id = OperationRegistry.All.First(r => r.Name == "generate" && r.Component == workload.Component).Id;
        JsonElement performance = await workload.Server.WaitForJsonAsync($"api/performance?selected={id}", static j =>
            j.TryGetProperty("selected", out JsonElement selected) && selected.ValueKind == JsonValueKind.Object && selected.GetProperty("anomalies").GetArrayLength() > 0);

        JsonElement series = Assert.Single(performance.GetProperty("selected").GetProperty("anomalies").EnumerateArray());
        Assert.Equal(("GenerateRate", AlertMetrics.OperationCallsPerSecond), (series.GetProperty("rule").GetString(), series.GetProperty("metric").GetString()));
        Assert.Equal([("component", workload.Component), ("operation", "generate")],
            series.GetProperty("labels").EnumerateArray().Select(static l => (l.GetProperty("name").GetString(), l.GetProperty("value").GetString())));
        JsonElement latest = series.GetProperty("points").EnumerateArray().Last();
        Assert.Equal(JsonValueKind.Number, latest.GetProperty("lower").ValueKind);
        Assert.False(latest.GetProperty("anomalous").GetBoolean());
    }

    [Fact]
    public async Task The_anomalies_api_lists_every_watched_series_the_most_anomalous_first_with_its_band()
    {
        await using AnomalyWorkload workload = await AnomalyWorkload.StartAsync();
        workload.FeedSpike();

        JsonElement watched = await workload.Server.WaitForJsonAsync("api/anomalies", static j =>
            j.GetProperty("available").GetBoolean()
            && j.GetProperty("series")[0].GetProperty("points").EnumerateArray().LastOrDefault().TryGetProperty("value", out JsonElement v)
            && v.ValueKind == JsonValueKind.Number && v.GetDouble() == 400);

        JsonElement first = watched.GetProperty("series")[0];
        Assert.Equal((AnomalyWorkload.Rule, AnomalyWorkload.Metric), (first.GetProperty("rule").GetString(), first.GetProperty("series").GetString()));
        JsonElement spike = first.GetProperty("points").EnumerateArray().Last();
        Assert.True(spike.GetProperty("anomalous").GetBoolean());
        Assert.True(spike.GetProperty("upper").GetDouble() < 400, "the spike lies above its band");
        double[] scores = [.. watched.GetProperty("series").EnumerateArray().Select(static s => s.GetProperty("points").EnumerateArray().Last().GetProperty("score").GetDouble())];
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.Equal(0, watched.GetProperty("omitted").GetInt32());
    }

    [Fact]
    public async Task The_costs_section_gives_each_models_watched_token_rate_with_its_band_and_marks_the_fivefold_spike()
    {
        await using AnomalyWorkload workload = await AnomalyWorkload.StartAsync();
        workload.FeedTokenSpike();

        JsonElement costs = await workload.Server.WaitForJsonAsync("api/costs", static j =>
            j.GetProperty("anomalies").GetArrayLength() > 0
            && j.GetProperty("anomalies")[0].GetProperty("points").EnumerateArray().LastOrDefault().TryGetProperty("value", out JsonElement v)
            && v.ValueKind == JsonValueKind.Number && v.GetDouble() > 3000);

        JsonElement series = Assert.Single(costs.GetProperty("anomalies").EnumerateArray());
        Assert.Equal((AnomalyWorkload.TokenRule, AlertMetrics.ModelTokensPerMinute), (series.GetProperty("rule").GetString(), series.GetProperty("metric").GetString()));
        Assert.Equal([("model", workload.Model)], series.GetProperty("labels").EnumerateArray().Select(static l => (l.GetProperty("name").GetString(), l.GetProperty("value").GetString())));
        JsonElement[] points = [.. series.GetProperty("points").EnumerateArray()];
        JsonElement spike = points[^1];
        Assert.True(spike.GetProperty("anomalous").GetBoolean());
        Assert.True(spike.GetProperty("upper").GetDouble() * 3 < spike.GetProperty("value").GetDouble(), "the spike lies far above its band");
        JsonElement steady = points[^2];
        Assert.False(steady.GetProperty("anomalous").GetBoolean());
        Assert.InRange(steady.GetProperty("value").GetDouble(), steady.GetProperty("lower").GetDouble(), steady.GetProperty("upper").GetDouble());
    }

    [Fact]
    public async Task The_anomalies_api_says_how_to_add_a_rule_when_none_watches_a_series()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(static o => o.Alerts.DefaultRules = false);
        server.System.Start();

        JsonElement watched = await server.GetJsonAsync("api/anomalies");

        Assert.False(watched.GetProperty("available").GetBoolean());
        Assert.Contains("kind: anomaly", watched.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, watched.GetProperty("series").GetArrayLength());
    }

    [Fact]
    public async Task The_anomalies_api_says_alerting_is_off_when_it_is()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(static o => o.Alerts.Enabled = false);

        JsonElement watched = await server.GetJsonAsync("api/anomalies");

        Assert.False(watched.GetProperty("available").GetBoolean());
        Assert.Contains("alerts.enabled: false", watched.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
