using Maran.Instrument;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Mounts Maran.Instrument's Prometheus metrics in an ASP.NET Core app.</summary>
public static class MaranMetricsEndpointExtensions
{
    /// <summary>
    /// Serves the monitoring system's metrics (the same registry as the standalone <c>/metrics</c> endpoint) at
    /// <paramref name="pattern"/> on the app's own port.
    /// </summary>
    /// <param name="endpoints">The app's endpoint routes.</param>
    /// <param name="pattern">The route, <c>/metrics</c> by default.</param>
    /// <param name="system">The monitoring system whose metrics are served; <see cref="AdvancedMonitoringSystem.Default"/> when null.</param>
    public static IEndpointConventionBuilder MapMaranMetrics(this IEndpointRouteBuilder endpoints, string pattern = "/metrics", AdvancedMonitoringSystem? system = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        return endpoints.MapMetrics(pattern, (system ?? AdvancedMonitoringSystem.Default).Prometheus.Registry);
    }
}
