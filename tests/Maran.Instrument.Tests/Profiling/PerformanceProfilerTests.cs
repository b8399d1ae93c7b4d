using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Maran.Instrument.Configuration;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Tests.Profiling;

[Collection(RuntimeSwitches.Name)]
public class PerformanceProfilerTests
{
    private static readonly PerformanceProfiler Profiler = new AdvancedMonitoringSystem(new MonitoringOptions()).Profiler;

    private static string Component([CallerMemberName] string test = "") => "profiler_" + test.ToLowerInvariant();

    [Fact]
    public void Start_and_end_operation_record_the_status_given()
    {
        string component = Component();
        Profiler.EndOperation(Profiler.StartOperation("step", component));
        Profiler.EndOperation(Profiler.StartOperation("step", component), OperationStatus.Error, new TimeoutException());
        Profiler.EndOperation(Profiler.StartOperation("step", component), OperationStatus.Cancelled);

        OperationSummary summary = Profiler.GetOperationSummary("step", component)!;
        Assert.Equal((3L, 1L, 1L), (summary.Count, summary.Errors, summary.Cancelled));
        Assert.Equal(1.0 / 3, summary.ErrorRate, 6);
        Assert.Equal(1, summary.ErrorTypes["System.TimeoutException"]);
    }

    [Fact]
    public void A_using_block_is_one_call_that_succeeds_unless_failed_or_cancelled()
    {
        string component = Component();
        using (Profiler.Operation("block", component))
        {
        }

        using (OperationHandle op = Profiler.Operation("block", component))
        {
            op.Fail(new InvalidOperationException());
        }

        using (OperationHandle op = Profiler.Operation("block", component))
        {
            op.Cancel();
        }

        OperationSummary summary = Profiler.GetOperationSummary("block", component)!;
        Assert.Equal((3L, 1L, 1L), (summary.Count, summary.Errors, summary.Cancelled));
    }

    [Fact]
    public void The_summary_reports_percentiles_mean_max_and_total_of_real_durations()
    {
        string component = Component();
        for (int i = 0; i < 20; i++)
        {
            OperationToken token = Profiler.StartOperation("spin", component);
            SpinFor(TimeSpan.FromMilliseconds(1));
            Profiler.EndOperation(token);
        }

        OperationSummary summary = Profiler.GetOperationSummary("spin", component)!;
        Assert.Equal(20, summary.Count);
        Assert.False(summary.IsSampled);
        Assert.True(summary.P50Ms >= 0.9, $"p50 {summary.P50Ms} ms for 1 ms calls");
        Assert.True(summary.P50Ms <= summary.P95Ms && summary.P95Ms <= summary.P99Ms && summary.P99Ms <= summary.MaxMs);
        Assert.Equal(summary.MeanMs * 20, summary.TotalMs, 3);
        Assert.True(summary.CallsPerSecond > 0);
    }

    [Fact]
    public void The_summary_lists_operations_busiest_first_and_serialises_to_json()
    {
        string component = Component();
        OperationToken slow = Profiler.StartOperation("slow", component);
        SpinFor(TimeSpan.FromMilliseconds(5));
        Profiler.EndOperation(slow);
        Profiler.EndOperation(Profiler.StartOperation("fast", component));

        PerformanceSummary summary = Profiler.GetPerformanceSummary();
        var mine = summary.Operations.Where(o => o.Component == component).Select(o => o.Name).ToList();
        Assert.Equal(["slow", "fast"], mine);

        string json = JsonSerializer.Serialize(summary);
        using JsonDocument document = JsonDocument.Parse(json);
        Assert.True(document.RootElement.GetProperty("Operations").GetArrayLength() >= 2);
    }

    [Fact]
    public async Task Nested_operations_know_their_parent_across_await_when_call_trees_are_on()
    {
        using IDisposable _ = RuntimeSwitches.Set(callTree: true);
        string component = Component();

        using (Profiler.Operation("outer", component))
        {
            await Task.Yield();
            using (Profiler.Operation("inner", component))
            {
                await Task.Delay(1);
            }
        }

        CallTreeEdge edge = Assert.Single(Profiler.GetPerformanceSummary().CallTree, e => e.Component == component && e.Name == "inner");
        Assert.Equal(("outer", component, 1L), (edge.ParentName, edge.ParentComponent, edge.Count));
        Assert.Contains(Profiler.GetPerformanceSummary().CallTree, e => e.Component == component && e.Name == "outer" && e.ParentName is null);
    }

    [Fact]
    public void With_call_trees_off_no_edge_is_recorded()
    {
        using IDisposable _ = RuntimeSwitches.Set(callTree: false);
        string component = Component();
        using (Profiler.Operation("outer", component))
        using (Profiler.Operation("inner", component))
        {
        }

        Assert.DoesNotContain(Profiler.GetPerformanceSummary().CallTree, e => e.Component == component);
    }

    [Fact]
    public async Task Monitored_calls_become_spans_with_their_parent_when_someone_listens()
    {
        using IDisposable _ = RuntimeSwitches.Set(tracing: true);
        string component = Component();
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MaranTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (stopped)
                {
                    stopped.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        using (Profiler.Operation("parent", component))
        {
            await Task.Yield();
            using OperationHandle child = Profiler.Operation("child", component);
            child.Fail(new InvalidOperationException("bad input"));
        }

        Activity parent;
        Activity failed;
        lock (stopped)
        {
            parent = stopped.Single(a => a.OperationName == "parent" && (string?)a.GetTagItem("maran.component") == component);
            failed = stopped.Single(a => a.OperationName == "child" && (string?)a.GetTagItem("maran.component") == component);
        }

        Assert.Equal(parent.SpanId, failed.ParentSpanId);
        Assert.Equal(parent.TraceId, failed.TraceId);
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal(ActivityStatusCode.Ok, parent.Status);
        Assert.Contains(failed.Events, e => e.Name == "exception");
        Assert.Null(Activity.Current);
    }

    private static void SpinFor(TimeSpan duration)
    {
        long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            Thread.SpinWait(10);
        }
    }
}
