using Maran.Instrument.Profiling;

namespace Maran.Instrument.Dashboard.Tests;

public class TrendRecorderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Calls_between_two_records_become_that_interval_s_rate()
    {
        OperationRecorder op = RecordedCalls.NewOperation("rate");
        var trends = new TrendRecorder(capacity: 10, maxOperations: 10);
        trends.Record(T0, [RecordedCalls.Sample(op)]);

        RecordedCalls.Add(op, 10, TimeSpan.FromMilliseconds(1));
        RecordedCalls.Add(op, 2, TimeSpan.FromMilliseconds(1), OperationStatus.Error);
        trends.Record(T0.AddSeconds(2), [RecordedCalls.Sample(op)]);

        OperationTrendPoint point = trends.LatestFor(op.Id)!;
        Assert.Equal(6, point.CallsPerSecond);
        Assert.Equal(1, point.ErrorsPerSecond);
        TrendPoint global = trends.Latest()!;
        Assert.Equal(6, global.CallsPerSecond);
    }

    [Fact]
    public void Calls_made_before_the_first_record_are_not_counted_as_its_first_interval()
    {
        OperationRecorder op = RecordedCalls.NewOperation("before");
        RecordedCalls.Add(op, 1000, TimeSpan.FromMilliseconds(1));
        var trends = new TrendRecorder(capacity: 10, maxOperations: 10);

        trends.Record(T0, [RecordedCalls.Sample(op)]);
        trends.Record(T0.AddSeconds(1), [RecordedCalls.Sample(op)]);

        Assert.Equal(0, trends.Latest()!.CallsPerSecond);
        Assert.Null(trends.LatestFor(op.Id));
    }

    [Fact]
    public void The_p95_of_an_interval_covers_that_interval_only()
    {
        OperationRecorder op = RecordedCalls.NewOperation("window");
        var trends = new TrendRecorder(capacity: 10, maxOperations: 10);
        trends.Record(T0, [RecordedCalls.Sample(op)]);
        RecordedCalls.Add(op, 100, TimeSpan.FromMilliseconds(100));
        trends.Record(T0.AddSeconds(1), [RecordedCalls.Sample(op)]);

        RecordedCalls.Add(op, 100, TimeSpan.FromMilliseconds(1));
        trends.Record(T0.AddSeconds(2), [RecordedCalls.Sample(op)]);

        // Since the start, the p95 is about 100 ms; in the last second every call took 1 ms (buckets are 12.5% wide).
        Assert.InRange(trends.LatestFor(op.Id)!.P95Ms!.Value, 0.875, 1.125);
        Assert.InRange(trends.Latest()!.P95Ms!.Value, 0.875, 1.125);
        Assert.InRange(trends.LatestFor(op.Id)!.MeanMs!.Value, 0.875, 1.125);
    }

    [Fact]
    public void A_series_keeps_no_more_points_than_its_capacity()
    {
        OperationRecorder op = RecordedCalls.NewOperation("ring");
        var trends = new TrendRecorder(capacity: 5, maxOperations: 10);
        trends.Record(T0, [RecordedCalls.Sample(op)]);

        for (int i = 1; i <= 12; i++)
        {
            RecordedCalls.Add(op, i, TimeSpan.FromMilliseconds(1));
            trends.Record(T0.AddSeconds(i), [RecordedCalls.Sample(op)]);
        }

        TrendSeries global = trends.Global();
        OperationTrendSeries series = trends.Operation(op.Id)!;
        Assert.Equal(5, global.Times.Length);
        Assert.Equal([8.0, 9, 10, 11, 12], global.CallsPerSecond);
        Assert.Equal([8.0, 9, 10, 11, 12], series.CallsPerSecond.Select(v => v!.Value));
        Assert.Equal(T0.AddSeconds(12).ToUnixTimeMilliseconds(), global.Times[^1]);
    }

    [Fact]
    public void Operations_beyond_the_limit_keep_no_trend_and_are_counted()
    {
        OperationRecorder first = RecordedCalls.NewOperation("limit-a");
        OperationRecorder second = RecordedCalls.NewOperation("limit-b");
        var trends = new TrendRecorder(capacity: 5, maxOperations: 1);
        trends.Record(T0, [RecordedCalls.Sample(first), RecordedCalls.Sample(second)]);

        RecordedCalls.Add(first, 1, TimeSpan.FromMilliseconds(1));
        RecordedCalls.Add(second, 1, TimeSpan.FromMilliseconds(1));
        trends.Record(T0.AddSeconds(1), [RecordedCalls.Sample(first), RecordedCalls.Sample(second)]);

        Assert.NotNull(trends.Operation(first.Id));
        Assert.Null(trends.Operation(second.Id));
        Assert.Equal(1, trends.TrackedOperations);
        Assert.Equal(1, trends.UntrackedActiveOperations);
        Assert.Equal(2, trends.Latest()!.CallsPerSecond);
    }

    [Fact]
    public void An_operation_idle_for_a_whole_window_gives_its_trend_back()
    {
        OperationRecorder op = RecordedCalls.NewOperation("idle");
        var trends = new TrendRecorder(capacity: 3, maxOperations: 1);
        trends.Record(T0, [RecordedCalls.Sample(op)]);
        RecordedCalls.Add(op, 1, TimeSpan.FromMilliseconds(1));
        trends.Record(T0.AddSeconds(1), [RecordedCalls.Sample(op)]);

        for (int i = 2; i <= 4; i++)
        {
            trends.Record(T0.AddSeconds(i), [RecordedCalls.Sample(op)]);
        }

        Assert.Null(trends.Operation(op.Id));
        Assert.Equal(0, trends.TrackedOperations);
    }

    [Fact]
    public void An_operation_that_starts_mid_window_has_no_values_before_it_was_tracked()
    {
        OperationRecorder early = RecordedCalls.NewOperation("early");
        OperationRecorder late = RecordedCalls.NewOperation("late");
        var trends = new TrendRecorder(capacity: 10, maxOperations: 10);
        trends.Record(T0, [RecordedCalls.Sample(early), RecordedCalls.Sample(late)]);
        RecordedCalls.Add(early, 1, TimeSpan.FromMilliseconds(1));
        trends.Record(T0.AddSeconds(1), [RecordedCalls.Sample(early), RecordedCalls.Sample(late)]);

        RecordedCalls.Add(late, 3, TimeSpan.FromMilliseconds(1));
        trends.Record(T0.AddSeconds(2), [RecordedCalls.Sample(early), RecordedCalls.Sample(late)]);

        OperationTrendSeries series = trends.Operation(late.Id)!;
        Assert.Equal([null, 3.0], series.CallsPerSecond);
    }
}
