using Maran.Instrument;
using Maran.Instrument.Configuration;
using Maran.Instrument.Dashboard;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Mounts Maran.Instrument's live dashboard in an ASP.NET Core app.</summary>
public static class MaranDashboardEndpointExtensions
{
    /// <summary>
    /// Serves the dashboard of <paramref name="system"/> under <paramref name="prefix"/> on the app's own port. It
    /// starts updating when the app starts and stops with it. Requests must come from this machine unless
    /// <c>dashboard.token</c> or <c>dashboard.tokens</c> is set; then they must carry a token (<c>?t=</c> once, then a
    /// cookie, or <c>Authorization: Bearer</c>), an operator's for a change. The app's Kestrel serves it, with its own
    /// HTTPS configuration; under <c>production.ssl_enabled</c> a request that did not arrive over HTTPS is refused (403).
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The secret of a token of <c>dashboard.tokens</c> cannot be read, or <c>dashboard.prometheus_url</c> is not a
    /// server's address under <c>dashboard.source: prometheus</c>; the message names the setting and why.
    /// </exception>
    /// <param name="endpoints">The app's endpoint routes.</param>
    /// <param name="prefix">The path the dashboard is served under, <c>/maran</c> by default.</param>
    /// <param name="system">The monitoring system shown; <see cref="AdvancedMonitoringSystem.Default"/> when null.</param>
    public static IEndpointConventionBuilder MapMaranDashboard(this IEndpointRouteBuilder endpoints, string prefix = "/maran", AdvancedMonitoringSystem? system = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        prefix = prefix.TrimEnd('/');
        if (prefix.Length > 0 && prefix[0] != '/')
        {
            throw new ArgumentException("The prefix must start with '/' (for example /maran).", nameof(prefix));
        }

        system ??= AdvancedMonitoringSystem.Default;
        DashboardSettings settings = system.Options.Dashboard;
        ProductionSettings? production = system.Options.Production;
        var problems = new List<string>();
        IReadOnlyList<DashboardCredential> credentials = DashboardCredential.Resolve(
            settings, settings.Token is { Length: > 0 } token ? token : null, Environment.GetEnvironmentVariable, problems);
        if (settings.Source == DashboardSource.Prometheus
            && (settings.PrometheusUrl is { } url ? DashboardSettings.CheckPrometheusUrl(url) : "dashboard.source: prometheus needs the Prometheus server's address") is { } badUrl)
        {
            problems.Add($"dashboard.prometheus_url ({settings.PrometheusUrl}): {badUrl}");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The Maran dashboard cannot be mapped: " + string.Join("; ", problems));
        }

        var failures = new AuthFailures(system.Prometheus.Registry, system.Options.Monitoring.MetricsPrefix);
        var hub = new DashboardHub(system, settings, TimeProvider.System, failures, DashboardHub.SourceOf(system, TimeProvider.System));
        var limiter = new AuthFailureLimiter(settings.AuthFailureLimit, settings.AuthFailureWindow, TimeProvider.System);
        var guard = new AccessGuard(credentials, "maran_dashboard", prefix.Length > 0 ? prefix : "/", limiter, failures)
        {
            DebugMode = production is { DebugMode: true },
            RequireHttps = production is { SslEnabled: true },
            Audit = system.Audit,
        };
        RouteGroupBuilder group = DashboardEndpoints.Map(endpoints, prefix, hub, guard);

        IHostApplicationLifetime? lifetime = endpoints.ServiceProvider.GetService<IHostApplicationLifetime>();
        if (lifetime is null)
        {
            hub.Start();
        }
        else
        {
            lifetime.ApplicationStarted.Register(hub.Start);
            lifetime.ApplicationStopping.Register(() => hub.StopAsync().GetAwaiter().GetResult());
        }

        return group;
    }
}
