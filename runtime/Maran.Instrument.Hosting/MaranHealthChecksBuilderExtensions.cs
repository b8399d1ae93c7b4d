using Maran.Instrument.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the monitoring system's health to ASP.NET Core health checks.</summary>
public static class MaranHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check that reports the system health (CPU, memory, disk, GPU against <c>Maran:monitoring:health_thresholds</c>):
    /// no threshold violated is Healthy, a violation is Degraded, a score below <c>health.critical_below</c> is Unhealthy.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The name of the check.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddMaranHealthCheck(this IHealthChecksBuilder builder, string name = "maran", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name,
            static provider => new MaranHealthCheck(provider.GetRequiredService<Maran.Instrument.AdvancedMonitoringSystem>().HealthMonitor),
            failureStatus: Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy,
            tags));
    }
}
