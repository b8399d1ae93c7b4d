using System.Diagnostics;
using System.Runtime.CompilerServices;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Tests.Profiling;

[Collection(RuntimeSwitches.Name)]
public class OperationRecorderTests
{
    private static OperationRecorder NewOperation([CallerMemberName] string name = "") =>
        OperationRegistry.GetOrAdd(name, "recorder_tests");

    [Fact]
    public void Calls_from_many_threads_are_counted_exactly()
    {
        OperationRecorder recorder = NewOperation();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                OperationScope scope = OperationScope.Start(recorder);
                scope.Complete();
            }
        });

        OperationSnapshot snapshot = recorder.Snapshot();
        Assert.Equal(80_000, snapshot.Succeeded);
        Assert.Equal(80_000, snapshot.Started);
        Assert.Equal(0, snapshot.InFlight);
    }

    [Fact]
    public void Counts_of_threads_that_have_ended_are_kept()
    {
        OperationRecorder recorder = NewOperation();
        var threads = Enumerable.Range(0, 5).Select(_ => new Thread(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                OperationScope.Start(recorder).Complete();
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        OperationSnapshot first = recorder.Snapshot();
        OperationSnapshot second = recorder.Snapshot();

        Assert.Equal(5000, first.Succeeded);
        Assert.Equal(5000, second.Succeeded);
        Assert.Equal(5000, second.Buckets.Sum());
        Assert.NotEmpty(second.RecentCalls);
    }

    [Fact]
    public void Errors_and_cancellations_are_counted_apart_with_their_durations_split_by_status()
    {
        OperationRecorder recorder = NewOperation();
        OperationScope.Start(recorder).Complete();
        OperationScope.Start(recorder).Fail(new InvalidOperationException("boom"));
        OperationScope.Start(recorder).Fail(new TaskCanceledException());

        OperationSnapshot snapshot = recorder.Snapshot();
        Assert.Equal((1L, 1L, 1L), (snapshot.Succeeded, snapshot.Failed, snapshot.Cancelled));
        Assert.Equal(1, snapshot.ErrorTypes["System.InvalidOperationException"]);
        Assert.Equal(1, snapshot.BucketsFor(OperationStatus.Error).Sum());
        Assert.Equal(1, snapshot.BucketsFor(OperationStatus.Cancelled).Sum());
        Assert.Equal(1, snapshot.BucketsFor(OperationStatus.Success).Sum());
    }

    [Fact]
    public void A_client_timeout_reported_as_a_cancelled_task_counts_as_an_error()
    {
        OperationRecorder recorder = NewOperation();
        var timeout = new TaskCanceledException(
            "The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.",
            new TimeoutException("The operation was canceled."));

        OperationScope.Start(recorder).Fail(timeout);

        OperationSnapshot snapshot = recorder.Snapshot();
        Assert.Equal((1L, 0L), (snapshot.Failed, snapshot.Cancelled));
        Assert.Equal(1, snapshot.ErrorTypes["System.Threading.Tasks.TaskCanceledException"]);
    }

    [Fact]
    public async Task An_async_method_that_times_out_like_HttpClient_counts_as_an_error_and_a_cancelled_one_as_cancelled()
    {
        OperationRecorder recorder = NewOperation();
        static async Task TimesOut()
        {
            await Task.Yield();
            throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 1 seconds elapsing.", new TimeoutException());
        }

        static async Task IsCancelled()
        {
            await Task.Yield();
            throw new OperationCanceledException("the user gave up");
        }

        Task timedOut = OperationScope.Start(recorder).Track(TimesOut());
        Task cancelled = OperationScope.Start(recorder).Track(IsCancelled());
        await Assert.ThrowsAsync<TaskCanceledException>(() => timedOut);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        OperationSnapshot snapshot = recorder.Snapshot();
        Assert.Equal((TaskStatus.Canceled, TaskStatus.Canceled), (timedOut.Status, cancelled.Status));
        Assert.Equal((1L, 1L), (snapshot.Failed, snapshot.Cancelled));
    }

    [Fact]
    public void A_failure_filter_returns_false_so_the_exception_is_never_caught()
    {
        OperationRecorder recorder = NewOperation();
        OperationScope scope = OperationScope.Start(recorder);

        Assert.False(scope.Fail(new InvalidOperationException()));
    }

    [Fact]
    public void The_recent_call_ring_keeps_the_latest_calls_in_order_with_their_status()
    {
        OperationRecorder recorder = NewOperation();
        for (int i = 0; i < RecorderCell.RingSize + 5; i++)
        {
            OperationScope.Start(recorder).Complete();
        }

        OperationScope.Start(recorder).Fail(new InvalidOperationException());

        IReadOnlyList<RecentCall> recent = recorder.Snapshot().RecentCalls;
        Assert.Equal(RecorderCell.RingSize, recent.Count);
        Assert.Equal(OperationStatus.Error, recent[^1].Status);
        Assert.True(recent.Zip(recent.Skip(1)).All(p => p.First.StartTimestamp <= p.Second.StartTimestamp));
    }

    [Fact]
    public void With_sampling_every_call_is_counted_and_one_in_n_is_timed()
    {
        using IDisposable _ = RuntimeSwitches.Set(sampleInterval: 10);
        OperationRecorder recorder = NewOperation();
        for (int i = 0; i < 1000; i++)
        {
            OperationScope.Start(recorder).Complete();
        }

        OperationSnapshot snapshot = recorder.Snapshot();
        Assert.Equal(1000, snapshot.Succeeded);
        Assert.Equal(100, snapshot.Timed);
    }

    [Fact]
    public void Allocation_sampling_measures_the_bytes_a_call_allocates()
    {
        using IDisposable _ = RuntimeSwitches.Set(allocationInterval: 1);
        OperationRecorder recorder = NewOperation();
        for (int i = 0; i < 10; i++)
        {
            OperationScope scope = OperationScope.Start(recorder);
            GC.KeepAlive(new byte[1000]);
            scope.Complete();
        }

        OperationSnapshot snapshot = recorder.Snapshot();
        Assert.Equal(10, snapshot.AllocationSamples);
        Assert.InRange(snapshot.AllocatedBytes / (double)snapshot.AllocationSamples, 1000, 1100);
    }

    [Fact]
    public void Turning_monitoring_off_makes_scopes_record_nothing()
    {
        using IDisposable _ = RuntimeSwitches.Set();
        OperationRecorder recorder = NewOperation();
        MonitoringRuntime.Enabled = false;
        OperationScope.Start(recorder).Complete();
        MonitoringRuntime.Enabled = true;

        Assert.Equal(0, recorder.Snapshot().Started);
    }

    [Fact]
    public void A_bucket_that_reaches_the_spill_threshold_hands_its_count_to_the_recorder()
    {
        OperationRecorder recorder = NewOperation();
        var dead = new RecorderCell(recorder, owner: null);
        var live = new RecorderCell(recorder, owner: null);
        int bucket = DurationHistogram.BucketOf(1000);
        dead.Buckets = new int[DurationHistogram.BucketCount];
        live.Buckets = new int[DurationHistogram.BucketCount];
        dead.Buckets[bucket] = RecorderCell.SpillThreshold - 1;
        live.Buckets[bucket] = 5;

        live.Absorb(dead);

        Assert.Equal(4, live.Buckets[bucket]);
        Assert.Equal(RecorderCell.SpillThreshold, recorder.Snapshot().Buckets[bucket]);
    }

    [Fact]
    public void Timed_calls_still_waiting_in_the_ring_are_in_the_histogram_and_the_maximum()
    {
        OperationRecorder recorder = NewOperation();
        RecorderCell cell = recorder.ThreadCell;
        long fast = Stopwatch.Frequency / 1_000_000;
        long slow = Stopwatch.Frequency / 500;
        for (int i = 0; i < RecorderCell.RingSize + 7; i++)
        {
            cell.RecordTimed(Stopwatch.GetTimestamp(), fast, OperationStatus.Success);
        }

        cell.RecordTimed(Stopwatch.GetTimestamp(), slow, OperationStatus.Success);

        OperationSnapshot snapshot = recorder.Snapshot();
        Assert.Equal(RecorderCell.RingSize + 8, snapshot.Timed);
        Assert.Equal(RecorderCell.RingSize + 8, snapshot.Buckets.Sum());
        Assert.Equal(slow, snapshot.MaxTicks);
        Assert.Equal(1, snapshot.Buckets[DurationHistogram.BucketOf(snapshot.MaxTicks)..].Sum());
    }

    [Fact]
    public void A_bucket_over_the_spill_threshold_spills_when_its_thread_folds_its_calls()
    {
        OperationRecorder recorder = NewOperation();
        OperationScope.Start(recorder).Complete();
        RecorderCell cell = recorder.ThreadCell;
        int bucket = DurationHistogram.BucketCount - 1;
        cell.Buckets = new int[DurationHistogram.BucketCount];
        cell.Buckets[bucket] = RecorderCell.SpillThreshold + 7;
        cell.TimedAtSpillCheck = -RecorderCell.SpillThreshold;

        for (int i = 0; i < RecorderCell.RingSize; i++)
        {
            OperationScope.Start(recorder).Complete();
        }

        Assert.Equal(7, cell.Buckets[bucket]);
        Assert.Equal(RecorderCell.SpillThreshold + 7L, recorder.Snapshot().Buckets[bucket]);
    }

    [Fact]
    public void A_thread_with_fewer_calls_than_the_ring_holds_keeps_no_histogram_yet_every_call_is_in_the_snapshot()
    {
        OperationRecorder recorder = NewOperation();
        for (int i = 0; i < RecorderCell.RingSize - 1; i++)
        {
            OperationScope.Start(recorder).Complete();
        }

        Assert.Null(recorder.ThreadCell.Buckets);
        Assert.Equal(RecorderCell.RingSize - 1, recorder.Snapshot().Buckets.Sum());

        OperationScope.Start(recorder).Complete();

        Assert.NotNull(recorder.ThreadCell.Buckets);
        Assert.Equal(RecorderCell.RingSize, recorder.Snapshot().Buckets.Sum());
    }

    [Fact]
    public void A_few_calls_of_a_thread_that_has_ended_are_kept_in_the_histogram()
    {
        OperationRecorder recorder = NewOperation();
        var thread = new Thread(() =>
        {
            for (int i = 0; i < 3; i++)
            {
                OperationScope.Start(recorder).Complete();
            }
        });
        thread.Start();
        thread.Join();

        OperationSnapshot snapshot = recorder.Snapshot();

        Assert.Equal(3, snapshot.Succeeded);
        Assert.Equal(3, snapshot.Buckets.Sum());
        Assert.Equal(3, snapshot.RecentCalls.Count);
    }
}
