using Maran.Instrument;
using Maran.Instrument.Profiling;

namespace Maran.Examples;

/// <summary>Example 1, basic setup: start monitoring and the dashboard, call a monitored method, read the figures.</summary>
public static class BasicSetup
{
    public static async Task<int> RunAsync()
    {
        using var monitoring = new AdvancedMonitoringSystem(options =>
        {
            options.Monitoring.DashboardPort = 0;   // any free port, so the example never collides with a running agent
            options.Monitoring.MetricsPort = 0;
        });
        monitoring.Start();
        await using var dashboard = new MonitoringDashboard(monitoring);
        await dashboard.StartAsync();
        Console.WriteLine($"dashboard: {dashboard.Url}  metrics: {monitoring.Prometheus.EndpointUrl}");

        for (int i = 0; i < 20; i++)
        {
            Summarize($"document {i} about monitoring language models");
        }

        OperationSummary summary = monitoring.Profiler.GetPerformanceSummary()["summarize", "basic"]!;
        Console.WriteLine($"summarize: {summary.Count} calls, p50 {summary.P50Ms:F3} ms, p95 {summary.P95Ms:F3} ms, {summary.AllocatedBytesPerCall?.ToString("F0") ?? "no"} bytes per call sampled");
        return 0;
    }

    [MonitorOperation("summarize", "basic")]
    private static string Summarize(string text) => string.Join(' ', text.Split(' ').Take(3));
}
