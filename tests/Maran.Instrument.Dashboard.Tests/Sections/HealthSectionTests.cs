using System.Text.Json;
using Maran.Instrument.Health;

namespace Maran.Instrument.Dashboard.Tests;

public class HealthSectionTests
{
    [Fact]
    public async Task Before_the_first_sample_the_section_and_the_overview_say_so_in_words()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();

        JsonElement view = await server.GetJsonAsync("api/health");
        JsonElement overview = (await server.GetJsonAsync("api/overview")).GetProperty("health");

        Assert.False(view.GetProperty("hasSample").GetBoolean());
        Assert.StartsWith("No sample yet", view.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, view.GetProperty("series").GetProperty("times").GetArrayLength());
        Assert.False(overview.GetProperty("available").GetBoolean());
        Assert.Contains("No sample yet", overview.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(overview.TryGetProperty("score", out _));
    }

    [Fact]
    public async Task A_custom_metric_past_its_threshold_is_a_violation_a_series_with_its_threshold_and_an_episode()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o => o.Monitoring.HealthThresholds["queue_depth"] = 10);
        SystemHealthMonitor health = server.System.HealthMonitor;
        health.SetCustomMetric("queue_depth", 25, "items");
        health.CheckNow();
        health.CheckNow();

        server.Hub.Tick();
        JsonElement view = await server.GetJsonAsync("api/health");

        Assert.True(view.GetProperty("hasSample").GetBoolean());
        JsonElement violation = Assert.Single(view.GetProperty("now").GetProperty("violations").EnumerateArray(), v => v.GetProperty("key").GetString() == "queue_depth");
        Assert.Equal(25, violation.GetProperty("value").GetDouble());
        Assert.Equal(10, violation.GetProperty("threshold").GetDouble());
        JsonElement series = view.GetProperty("series");
        Assert.Equal(2, series.GetProperty("times").GetArrayLength());
        Assert.Equal(2, series.GetProperty("score").GetArrayLength());
        JsonElement group = Assert.Single(series.GetProperty("groups").EnumerateArray(), g => g.GetProperty("key").GetString() == "queue_depth");
        Assert.True(group.GetProperty("custom").GetBoolean());
        Assert.Equal(10, group.GetProperty("threshold").GetDouble());
        Assert.Equal([25.0, 25.0], group.GetProperty("series")[0].GetProperty("values").EnumerateArray().Select(v => v.GetDouble()));
        JsonElement episode = Assert.Single(view.GetProperty("episodes").EnumerateArray(), e => e.GetProperty("key").GetString() == "queue_depth");
        Assert.True(episode.GetProperty("ongoing").GetBoolean());
        Assert.Equal(2, episode.GetProperty("samples").GetInt32());
        Assert.Contains(view.GetProperty("readings").EnumerateArray(), r => r.GetProperty("key").GetString() == "queue_depth" && r.GetProperty("violated").GetBoolean());
    }

    [Fact]
    public async Task A_violation_that_ended_is_kept_as_a_closed_episode()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o => o.Monitoring.HealthThresholds["queue_depth"] = 10);
        SystemHealthMonitor health = server.System.HealthMonitor;
        health.SetCustomMetric("queue_depth", 40);
        health.CheckNow();
        health.SetCustomMetric("queue_depth", 2);
        health.CheckNow();

        server.Hub.Tick();
        JsonElement view = await server.GetJsonAsync("api/health");

        JsonElement episode = Assert.Single(view.GetProperty("episodes").EnumerateArray(), e => e.GetProperty("key").GetString() == "queue_depth");
        Assert.False(episode.GetProperty("ongoing").GetBoolean());
        Assert.Equal(1, episode.GetProperty("samples").GetInt32());
        Assert.Equal(40, episode.GetProperty("peak").GetDouble());
        Assert.DoesNotContain(view.GetProperty("now").GetProperty("violations").EnumerateArray(), v => v.GetProperty("key").GetString() == "queue_depth");
    }

    [Fact]
    public async Task The_overview_gauges_and_score_come_from_the_latest_sample()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();
        HealthStatus sample = server.System.HealthMonitor.CheckNow();

        server.Hub.Tick();
        JsonElement health = (await server.GetJsonAsync("api/overview")).GetProperty("health");

        Assert.True(health.GetProperty("available").GetBoolean());
        Assert.Equal(server.System.HealthMonitor.Latest!.Score, health.GetProperty("score").GetDouble());
        Assert.Equal(sample.Status, health.GetProperty("status").GetString());
        Assert.Equal(sample.Snapshot[HealthMetrics.MemoryPercent], health.GetProperty("memory").GetProperty("percent").GetDouble());
        Assert.Equal(85, health.GetProperty("memory").GetProperty("threshold").GetDouble());
        JsonElement gpu = health.GetProperty("gpu");
        if (sample.Snapshot.Gpus.Count == 0)
        {
            Assert.False(gpu.TryGetProperty("percent", out _));
            Assert.Equal(sample.Snapshot.GpuStatus, gpu.GetProperty("note").GetString());
        }
        else
        {
            Assert.InRange(gpu.GetProperty("percent").GetDouble(), 0, 100);
        }
    }

    [Fact]
    public async Task Gpus_are_listed_with_their_readings_or_the_reason_there_are_none()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();
        HealthStatus sample = server.System.HealthMonitor.CheckNow();

        server.Hub.Tick();
        JsonElement view = await server.GetJsonAsync("api/health");

        Assert.Equal(sample.Snapshot.GpuStatus, view.GetProperty("gpuStatus").GetString());
        Assert.Equal(sample.Snapshot.Gpus.Count, view.GetProperty("gpus").GetArrayLength());
        foreach (JsonElement gpu in view.GetProperty("gpus").EnumerateArray())
        {
            Assert.Contains(gpu.GetProperty("readings").EnumerateArray(), r => r.GetProperty("key").GetString() == HealthMetrics.GpuPercent);
        }
    }
}
