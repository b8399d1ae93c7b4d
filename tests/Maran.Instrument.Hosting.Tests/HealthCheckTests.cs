using Maran.Instrument.Configuration;
using Maran.Instrument.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using CheckStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus;

namespace Maran.Instrument.Hosting.Tests;

/// <summary>The health check reports the health monitor's state: Healthy, Degraded or Unhealthy, with the score and violations.</summary>
public sealed class HealthCheckTests
{
    [Theory]
    [InlineData(HealthState.Healthy, CheckStatus.Healthy)]
    [InlineData(HealthState.Degraded, CheckStatus.Degraded)]
    [InlineData(HealthState.Critical, CheckStatus.Unhealthy)]
    public void Each_health_state_maps_to_its_health_check_status(HealthState state, CheckStatus expected)
    {
        var violation = new ThresholdViolation("memory_percent", null, 91, 85, "%", 0.4, 20);
        Instrument.Health.HealthStatus status = Status(state, state == HealthState.Healthy ? [] : [violation]);

        HealthCheckResult result = MaranHealthCheck.ToResult(status);

        Assert.Equal(expected, result.Status);
        Assert.Equal(status.Score, result.Data["score"]);
        Assert.Equal(state != HealthState.Healthy, result.Data.ContainsKey("violation:memory_percent"));
        Assert.StartsWith($"health score {status.Score:0.#}", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_memory_threshold_below_any_reading_is_degraded_and_below_the_critical_score_unhealthy()
    {
        HealthCheckResult degraded = await CheckAsync(memoryPercent: 0.001, criticalBelow: 0);
        HealthCheckResult unhealthy = await CheckAsync(memoryPercent: 0.001, criticalBelow: 100);
        HealthCheckResult healthy = await CheckAsync(memoryPercent: 100, criticalBelow: 0);

        Assert.Equal(CheckStatus.Degraded, degraded.Status);
        Assert.True(degraded.Data.ContainsKey("violation:memory_percent"), degraded.Description);
        Assert.Equal(CheckStatus.Unhealthy, unhealthy.Status);
        Assert.False(healthy.Data.ContainsKey("violation:memory_percent"), healthy.Description);
    }

    private static async Task<HealthCheckResult> CheckAsync(double memoryPercent, double criticalBelow)
    {
        var settings = new MonitoringSettings();
        settings.HealthThresholds["memory_percent"] = memoryPercent;
        settings.HealthThresholds["cpu_percent"] = 100;
        settings.HealthThresholds["disk_percent"] = 100;
        settings.Health.CriticalBelow = criticalBelow;
        settings.Health.Gpu = false;
        using var monitor = new SystemHealthMonitor(settings);
        return await new MaranHealthCheck(monitor).CheckHealthAsync(new HealthCheckContext());
    }

    private static Instrument.Health.HealthStatus Status(HealthState state, IReadOnlyList<ThresholdViolation> violations) => new()
    {
        Timestamp = DateTimeOffset.UnixEpoch,
        Score = state switch { HealthState.Healthy => 100, HealthState.Degraded => 80, _ => 30 },
        State = state,
        Violations = violations,
        Unchecked = [],
        Snapshot = new HealthSnapshot { Timestamp = DateTimeOffset.UnixEpoch, Readings = [], Gpus = [], GpuStatus = "no device", Unavailable = [] },
    };
}
