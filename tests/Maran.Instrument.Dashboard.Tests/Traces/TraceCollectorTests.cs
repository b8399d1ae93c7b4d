using System.Diagnostics;
using Maran.Instrument.Profiling;
using Microsoft.Extensions.Time.Testing;

namespace Maran.Instrument.Dashboard.Tests;

public class TraceCollectorTests
{
    private static readonly ActivitySource s_other = new("Maran.Dashboard.Tests.Other");

    private readonly PerformanceProfiler _profiler = new AdvancedMonitoringSystem(TestDashboard.Options()).Profiler;

    [Fact]
    public void A_monitored_call_becomes_a_trace_with_its_nested_spans()
    {
        using var collector = new TraceCollector(100, 1000, new FakeTimeProvider());
        string root = Unique("root");
        using (_profiler.Operation(root, "traces"))
        {
            using (_profiler.Operation("child", "traces"))
            {
            }
        }

        TraceSummary summary = collector.Recent().Single(t => t.Root == root);
        TraceDetail detail = collector.Find(summary.TraceId)!;
        Assert.Equal("traces", summary.Component);
        Assert.Equal(2, detail.Spans.Count);
        SpanRecord parent = detail.Spans.Single(s => s.Name == root);
        Assert.Equal(parent.SpanId, detail.Spans.Single(s => s.Name == "child").ParentSpanId);
    }

    [Fact]
    public void Spans_of_any_source_inside_a_kept_trace_are_kept_and_others_are_not()
    {
        using var collector = new TraceCollector(100, 1000, new FakeTimeProvider());
        string root = Unique("with-http");
        using (_profiler.Operation(root, "traces"))
        {
            using Activity? inside = s_other.StartActivity("inside");
        }

        using (Activity? outside = s_other.StartActivity("outside-" + root))
        {
        }

        TraceDetail detail = collector.Find(collector.Recent().Single(t => t.Root == root).TraceId)!;
        Assert.Contains(detail.Spans, s => s.Name == "inside" && s.Source == s_other.Name);
        Assert.DoesNotContain(collector.Recent(), t => t.Root == "outside-" + root);
    }

    [Fact]
    public void A_failed_call_keeps_its_exception_message_on_its_span()
    {
        using var collector = new TraceCollector(100, 1000, new FakeTimeProvider());
        string root = Unique("failing");
        using (OperationHandle op = _profiler.Operation(root, "traces"))
        {
            op.Fail(new InvalidOperationException("the model refused <b>politely</b>"));
        }

        TraceSummary summary = collector.Recent().Single(t => t.Root == root);
        SpanRecord span = Assert.Single(collector.Find(summary.TraceId)!.Spans);
        Assert.Equal(1, summary.Errors);
        Assert.Equal("the model refused <b>politely</b>", span.StatusDescription);
        Assert.Contains(span.Events.Single(e => e.Name == "exception").Tags, t => t.Key == "exception.message");
    }

    [Fact]
    public void An_operation_starts_at_most_one_trace_a_second()
    {
        var time = new FakeTimeProvider();
        using var collector = new TraceCollector(100, 1000, time);
        string root = Unique("busy");

        for (int i = 0; i < 5; i++)
        {
            using (_profiler.Operation(root, "traces"))
            {
            }
        }

        time.Advance(TimeSpan.FromSeconds(1));
        using (_profiler.Operation(root, "traces"))
        {
        }

        Assert.Equal(2, collector.Recent().Count(t => t.Root == root));
    }

    [Fact]
    public void Only_the_most_recent_traces_are_kept()
    {
        using var collector = new TraceCollector(3, 1000, new FakeTimeProvider());
        string first = Unique("first");
        using (_profiler.Operation(first, "traces"))
        {
        }

        for (int i = 0; i < 4; i++)
        {
            using (_profiler.Operation(Unique("later"), "traces"))
            {
            }
        }

        Assert.InRange(collector.Recent().Count, 1, 3);
        Assert.DoesNotContain(collector.Recent(), t => t.Root == first);
    }

    [Fact]
    public void Spans_beyond_the_limit_of_a_trace_are_counted_not_kept()
    {
        using var collector = new TraceCollector(100, 1000, new FakeTimeProvider());
        string root = Unique("wide");
        using (_profiler.Operation(root, "traces"))
        {
            for (int i = 0; i < TraceCollector.MaxSpansPerTrace + 50; i++)
            {
                using (_profiler.Operation("leaf", "traces"))
                {
                }
            }
        }

        TraceSummary summary = collector.Recent().Single(t => t.Root == root);
        TraceDetail detail = collector.Find(summary.TraceId)!;
        Assert.Equal(TraceCollector.MaxSpansPerTrace, detail.Spans.Count);
        Assert.Equal(51, detail.Truncated);
        Assert.Equal(TraceCollector.MaxSpansPerTrace + 51, summary.Spans);
    }

    [Fact]
    public void After_disposal_nothing_more_is_collected()
    {
        var collector = new TraceCollector(100, 1000, new FakeTimeProvider());
        collector.Dispose();

        using (_profiler.Operation(Unique("after"), "traces"))
        {
        }

        Assert.Empty(collector.Recent());
    }

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..12];
}
