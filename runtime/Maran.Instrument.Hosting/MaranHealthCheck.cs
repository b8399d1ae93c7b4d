using Maran.Instrument.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Maran.Instrument.Hosting;

/// <summary>The latest health reading of the system as a health check result: its state, score and violated thresholds.</summary>
internal sealed class MaranHealthCheck(SystemHealthMonitor monitor) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        Instrument.Health.HealthStatus status = monitor.GetHealthStatus();
        return Task.FromResult(ToResult(status));
    }

    /// <summary>Healthy, Degraded or Unhealthy as the reading's state says, described by its score and violations.</summary>
    internal static HealthCheckResult ToResult(Instrument.Health.HealthStatus status)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["score"] = status.Score,
            ["state"] = status.Status,
        };
        foreach (ThresholdViolation violation in status.Violations)
        {
            data["violation:" + violation.Key + (violation.Subject is { } subject ? ":" + subject : string.Empty)] = violation.ToString();
        }

        string description = status.Violations.Count == 0
            ? $"health score {status.Score:0.#}, no threshold violated"
            : $"health score {status.Score:0.#}: " + string.Join("; ", status.Violations);
        return status.State switch
        {
            HealthState.Healthy => HealthCheckResult.Healthy(description, data),
            HealthState.Degraded => HealthCheckResult.Degraded(description, data: data),
            _ => HealthCheckResult.Unhealthy(description, data: data),
        };
    }
}
