using Maran.Instrument;
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
    /// <c>dashboard.token</c> is set; then they must carry the token (<c>?t=</c> once, then a cookie, or
    /// <c>Authorization: Bearer</c>).
    /// </summary>
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
        var hub = new DashboardHub(system, settings, TimeProvider.System);
        var guard = new AccessGuard(settings.Token is { Length: > 0 } token ? token : null, "maran_dashboard", prefix.Length > 0 ? prefix : "/");
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
