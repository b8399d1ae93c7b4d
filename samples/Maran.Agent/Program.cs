using System.Globalization;
using System.Runtime.InteropServices;
using Maran.Agent;
using Maran.Instrument;
using Maran.Instrument.Configuration;
using Maran.Instrument.Costs;
using Maran.Instrument.Profiling;
using OpenTelemetry;
using OpenTelemetry.Trace;

// The monitored Maran agent: answers questions from its documents with a model it carries, while
// Maran.Instrument measures every stage, serves the dashboard and /metrics, and alerts. Ctrl+C, SIGTERM (or --duration /
// --queries) stops it cleanly, with everything recorded written to the database first.
WorkloadArguments arguments;
try
{
    arguments = WorkloadArguments.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(WorkloadArguments.Usage);
    return 2;
}

using var stopping = new CancellationTokenSource();
if (arguments.Duration is { } duration)
{
    stopping.CancelAfter(duration);
}

// Every query is a trace, so every log line carries its trace id. With OTEL_EXPORTER_OTLP_ENDPOINT set, the spans
// also go to that collector (Jaeger, Tempo, the OpenTelemetry Collector) with no other change.
TracerProviderBuilder tracing = Sdk.CreateTracerProviderBuilder().AddMaranInstrumentation().SetSampler(new AlwaysOnSampler());
if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
{
    tracing.AddOtlpExporter();
}

using TracerProvider tracerProvider = tracing.Build();

var monitoring = AdvancedMonitoringSystem.Default;
try
{
    monitoring.Start();
}
catch (MonitoringConfigurationException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}

// Ctrl+C, SIGTERM (docker stop, Kubernetes) and SIGHUP end the workload and stop everything in order below. These
// handlers are registered after Start, so they run before the system's own, which would stop it at once.
void OnStopSignal(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}

using PosixSignalRegistration onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnStopSignal);
using PosixSignalRegistration onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnStopSignal);
using PosixSignalRegistration onHangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnStopSignal);

await using var dashboard = new MonitoringDashboard(monitoring);
try
{
    await dashboard.StartAsync(stopping.Token);
}
catch (DashboardStartException ex)
{
    Console.Error.WriteLine($"The dashboard did not start: {ex.Message} The agent runs on without it.");
}

using MonitoredMaranSystem agent = await MonitoredMaranSystem.CreateAsync(
    monitoring,
    new AgentOptions { ErrorRate = arguments.ErrorRate, TokenLatency = arguments.TokenLatency });

Console.WriteLine($"Maran agent ready (model {agent.Model.ModelName}); {arguments.Describe()}. Ctrl+C stops.");
// The dashboard printed the address to open (with a generated access token) when it started; the token is not repeated.
Console.WriteLine($"  dashboard  {dashboard.Url?.ToString() ?? "not running"}{(dashboard.AccessToken is null ? string.Empty : " (needs its access token)")}");
Console.WriteLine($"  metrics    {monitoring.Prometheus.EndpointUrl?.ToString() ?? monitoring.Prometheus.EndpointProblem ?? "not running"}");
Console.WriteLine($"  database   {monitoring.GetDashboardData().Internal.Storage.Path}");
Console.WriteLine();

Workload.Result result = await Workload.RunAsync(agent, arguments.Queries, arguments.Rate, Console.Out, stopping.Token);

Console.WriteLine($"{result.Answered} answered, {result.Failed} failed.");
Console.WriteLine();
Console.WriteLine($"{"operation",-16} {"component",-10} {"calls",6} {"errors",6} {"p50 ms",8} {"p95 ms",8} {"max ms",8}");
foreach (OperationSummary op in monitoring.Profiler.GetPerformanceSummary().Operations)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{op.Name,-16} {op.Component,-10} {op.Count,6} {op.Errors,6} {op.P50Ms,8:F2} {op.P95Ms,8:F2} {op.MaxMs,8:F2}"));
}

await dashboard.StopAsync();
monitoring.Stop();

// After Stop: the compute used since the last interval is priced, and everything is in the database.
CostSummary costs = monitoring.CostTracker.GetCostSummary(24);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"\ncost: ${costs.TotalUsd:F6} ({string.Join(", ", costs.ByResourceType.Select(r => $"{r.Key} ${r.Value:F6}"))}) for {costs.Tokens.Input + costs.Tokens.Output} tokens"));
return 0;
