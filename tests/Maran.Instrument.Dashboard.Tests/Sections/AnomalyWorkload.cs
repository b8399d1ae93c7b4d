using Maran.Instrument.Alerts;
using Maran.Instrument.Configuration;
using Maran.Instrument.Profiling;
using Microsoft.Extensions.Time.Testing;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>
/// A dashboard over a system on a fake clock, with an anomaly rule on a queue depth fed to the alert engine and the
/// health monitor alike, an anomaly rule on an operation's calls per second, one on each model's tokens per minute, and
/// an availability SLO on that operation: the clock moves one evaluation at a time.
/// </summary>
internal sealed class AnomalyWorkload : IAsyncDisposable
{
    internal const string Metric = "anomaly_queue_depth";
    internal const string Rule = "QueueAnomaly";
    internal const string Slo = "generate_availability";
    internal const string TokenRule = "TokenRate";
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private AnomalyWorkload(TestDashboard server, FakeTimeProvider time, string component)
    {
        Server = server;
        Time = time;
        Component = component;
        Model = component + "-model";
    }

    /// <summary>The model <see cref="FeedTokenSpike"/> records tokens of: unique to this workload.</summary>
    public string Model { get; }

    /// <summary>The component of the SLO's operation, <c>generate</c>: unique to this workload.</summary>
    public string Component { get; }

    public TestDashboard Server { get; }

    public FakeTimeProvider Time { get; }

    public static async Task<AnomalyWorkload> StartAsync()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        string component = "anomaly-" + Guid.NewGuid().ToString("N")[..8];
        TestDashboard server = await TestDashboard.StartAsync(o =>
        {
            o.Monitoring.HealthCheckInterval = Interval.TotalSeconds;
            o.Monitoring.HealthThresholds[Metric] = 10_000;
            o.Alerts.DefaultRules = false;
            o.Alerts.EvaluationInterval = Interval;
            o.Alerts.Rules.Add(new AlertRuleOptions { Name = Rule, Kind = "anomaly", Metric = Metric, Direction = "above" });
            o.Alerts.Rules.Add(new AlertRuleOptions { Name = "QueueFull", Kind = "forecast", Metric = Metric, Limit = 5000, Horizon = TimeSpan.FromHours(1), Method = "holt" });
            o.Alerts.Rules.Add(new AlertRuleOptions { Name = "GenerateRate", Kind = "anomaly", Metric = AlertMetrics.OperationCallsPerSecond, Operation = "generate", Component = component });
            o.Alerts.Rules.Add(new AlertRuleOptions { Name = TokenRule, Kind = "anomaly", Metric = AlertMetrics.ModelTokensPerMinute, Direction = "above" });
            o.Alerts.Slos.Add(new SloOptions { Name = Slo, Operation = "generate", Component = component, Objective = 0.99 });
        }, systemTime: time);
        var workload = new AnomalyWorkload(server, time, component);
        workload.Server.System.Start();
        return workload;
    }

    /// <summary>200 steady points with a little noise, then one spike to 400.</summary>
    public void FeedSpike()
    {
        var noise = new Random(5);
        for (int i = 0; i < 200; i++)
        {
            Feed(100 + ((noise.NextDouble() - 0.5) * 4));
        }

        Feed(400);
    }

    /// <summary>
    /// 200 evaluations with about 100 tokens of <see cref="Model"/> each (about 600 a minute), then one with 3,000: tokens
    /// per minute jump about fivefold.
    /// </summary>
    public void FeedTokenSpike()
    {
        var noise = new Random(7);
        for (int i = 0; i < 200; i++)
        {
            RecordTokens(60 + noise.Next(-3, 4), 40);
        }

        RecordTokens(2000, 1000);
    }

    /// <summary>Calls the SLO's operation: 9 successes for each failure, so a tenth of the calls burn the budget.</summary>
    public void RunCalls(int calls)
    {
        PerformanceProfiler profiler = Server.System.Profiler;
        for (int i = 0; i < calls; i++)
        {
            OperationToken token = profiler.StartOperation("generate", Component);
            bool fails = i % 10 == 9;
            profiler.EndOperation(token, fails ? OperationStatus.Error : OperationStatus.Success, fails ? new InvalidOperationException("model down") : null);
        }

        Time.Advance(Interval);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private void RecordTokens(long input, long output)
    {
        Server.System.CostTracker.RecordTokens(Model, input, output, component: Component, operation: "generate");
        Assert.True(Server.System.CostTracker.Flush());
        Time.Advance(Interval);
    }

    private void Feed(double depth)
    {
        Server.System.Alerts.SetCustomMetric(Metric, depth);
        Server.System.HealthMonitor.SetCustomMetric(Metric, depth, "items");
        Time.Advance(Interval);
    }
}
