using Maran.Instrument;
using Maran.Instrument.Hosting;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
IMaranBuilder monitoring = builder.Services.AddMaranMonitoring();
if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
{
    monitoring.AddOtlpExporter();
}

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

// Runs n model calls, each reporting its tokens: they feed the GenAI histograms and tokens_total.
app.MapPost("/generate/{n:int}", (int n) =>
{
    long tokens = 0;
    for (int i = 0; i < n; i++)
    {
        tokens += HostedApp.Model.Generate(i).OutputTokens;
    }

    return Results.Text($"{n} {tokens}");
});

// Starts n calls of a monitored operation that stay in flight until /release: the saturation signal's load.
HostedApp.Gate gate = new();
app.MapPost("/hold/{n:int}", (int n) =>
{
    for (int i = 0; i < n; i++)
    {
        _ = HostedApp.Worker.AnswerAsync(gate.Current);
    }

    return Results.Text($"{n}");
});
app.MapPost("/release", () =>
{
    gate.Release();
    return Results.Text("released");
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

        [MonitorOperation("answer", "hosted_app")]
        public static async Task AnswerAsync(Task release) => await release.ConfigureAwait(false);
    }

    internal static class Model
    {
        [MonitorOperation("generate", "model", Model = "gpt-4o-mini", Provider = "openai")]
        public static Reply Generate(int i) => new(10 + i, 5 + i);
    }

    internal sealed record Reply(long InputTokens, long OutputTokens) : ITokenUsage;

    /// <summary>The task held calls wait on; released, it is replaced by a fresh one for the next holds.</summary>
    internal sealed class Gate
    {
        private TaskCompletionSource _current = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Current => Volatile.Read(ref _current).Task;

        public void Release() => Interlocked.Exchange(ref _current, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
