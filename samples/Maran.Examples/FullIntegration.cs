using System.Text.Json;
using Maran.Agent;
using Maran.Instrument;
using Maran.Instrument.Alerts;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Maran.Examples;

/// <summary>
/// Example 3, full system integration: the agent's stages, error tracking, costs, alerts on a custom metric, logs
/// and the dashboard, all from one monitoring system, ending with the one snapshot the dashboard reads.
/// </summary>
public static class FullIntegration
{
    public static async Task<int> RunAsync()
    {
        // Spans for every monitored call, as an OpenTelemetry SDK set up by the application would record them.
        using TracerProvider tracing = Sdk.CreateTracerProviderBuilder().AddMaranInstrumentation().SetSampler(new AlwaysOnSampler()).Build();
        using var monitoring = new AdvancedMonitoringSystem(options =>
        {
            options.Monitoring.MetricsPort = 0;
            options.Monitoring.DashboardPort = 0;
            options.Monitoring.CallTree = true;
            options.Alerts.CustomMetrics.Add("queue_depth");
        });
        monitoring.Alerts.AddRule(AlertRule.Create("QueueBacklog").When("queue_depth").Above(3).WithSeverity(AlertSeverity.Warning).Build());
        monitoring.Start();
        await using var dashboard = new MonitoringDashboard(monitoring);
        await dashboard.StartAsync();

        using MonitoredMaranSystem agent = await MonitoredMaranSystem.CreateAsync(monitoring, new AgentOptions { ErrorRate = 0.2, TokenLatency = TimeSpan.Zero });
        Workload.Result result = await Workload.RunAsync(agent, queries: 30, rate: 50, TextWriter.Null, CancellationToken.None);
        monitoring.Alerts.SetCustomMetric("queue_depth", 5);
        monitoring.Stop();

        DashboardData data = monitoring.GetDashboardData();
        Console.WriteLine($"{result.Answered} answered, {result.Failed} failed; dashboard was at {dashboard.Url}");
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            operations = data.Performance.Operations.Select(o => new { o.Component, o.Name, o.Count, o.Errors, o.P95Ms }),
            errors = monitoring.ErrorTracker.GetErrorAnalytics(1).ByCategory,
            cost = monitoring.CostTracker.GetCostSummary(1).TotalUsd,
            logs = monitoring.Logs.Recent(3).Select(l => new { l.Level, l.Message, l.TraceId }),
            storage = data.Internal.Storage.Path,
        }, new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }
}
