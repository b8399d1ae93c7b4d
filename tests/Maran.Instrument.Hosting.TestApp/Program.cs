using Maran.Instrument;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.Services.AddMaranMonitoring();
builder.Services.AddHealthChecks().AddMaranHealthCheck();

WebApplication app = builder.Build();
app.MapHealthChecks("/healthz");
app.MapMaranMetrics();

// Runs monitored work: n calls of a monitored method, of which every third fails (caught here, recorded by the monitoring).
app.MapPost("/work/{n:int}", (int n) =>
{
    int failed = 0;
    for (int i = 0; i < n; i++)
    {
        try
        {
            HostedApp.Worker.Step(i);
        }
        catch (InvalidOperationException)
        {
            failed++;
        }
    }

    return Results.Text($"{n} {failed}");
});

// What the monitoring counted, read from the system the services hold, and whether it is the process default.
app.MapGet("/counts", (AdvancedMonitoringSystem system) =>
{
    OperationSummary? step = system.Profiler.GetOperationSummary("step", "hosted_app");
    bool same = ReferenceEquals(system, AdvancedMonitoringSystem.Default);
    return Results.Text($"{step?.Count ?? 0} {step?.Errors ?? 0} {same} {system.IsRunning}");
});

await app.StartAsync();
string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
Console.WriteLine("listening " + address);
await app.WaitForShutdownAsync();
Console.WriteLine("stopped");

namespace HostedApp
{
    internal static class Worker
    {
        [MonitorOperation("step", "hosted_app")]
        public static int Step(int i) => i % 3 == 2 ? throw new InvalidOperationException("every third step fails") : i;
    }
}
