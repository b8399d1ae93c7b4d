using Microsoft.Extensions.Hosting;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// The lifetime of the dashboard's own web host: it neither waits for nor reacts to anything. The host's default, the
/// console lifetime, takes SIGINT and SIGTERM from the program and stops only the dashboard with them; the program's
/// signals belong to the program (and to the monitoring system, which stops and writes what it accepted).
/// </summary>
internal sealed class DetachedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
