using Microsoft.Extensions.Hosting;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// Runs the dashboard in a host: started after the monitoring system (it is registered after the system's hosted
/// service, and reads the running system) and stopped before it, closing its live clients. A dashboard that cannot
/// start (its port taken, say) fails the host's start with the reason.
/// </summary>
internal sealed class DashboardHostedService(MonitoringDashboard dashboard) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => dashboard.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => dashboard.StopAsync(cancellationToken);
}
