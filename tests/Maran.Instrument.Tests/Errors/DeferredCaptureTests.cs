using System.Runtime.CompilerServices;
using Maran.Instrument.Configuration;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Errors;
using Maran.Instrument.Generated;
using Maran.Instrument.Profiling;
using Microsoft.Extensions.Time.Testing;

namespace Maran.Instrument.Tests.Errors;

/// <summary>
/// The failure path of a monitored call only counts and hands the exception over; the tracker's worker reads it later,
/// after the caller has caught it or sent it further, and still records the stack it had at the monitored call.
/// </summary>
[Collection(TrackerCollection.Name)]
public class DeferredCaptureTests
{
    [Fact]
    public void A_failure_the_worker_reads_only_after_the_caller_caught_and_rethrew_it_keeps_the_stack_it_had_at_the_monitored_call()
    {
        var store = new GatedErrorStore();
        var tracker = new ErrorTracker(new MonitoringOptions(), store, new FakeTimeProvider(TrackerHarness.Epoch));
        ((IMonitoringService)tracker).Start();
        try
        {
            Assert.True(store.Entered.Wait(TrackerHarness.Patience), "the worker never began reading its history");

            Assert.Throws<KeyNotFoundException>(() => RethrowingCaller(7));
            store.Open();

            Assert.True(tracker.Flush(TrackerHarness.Patience));
            TrackedError error = Assert.Single(tracker.GetRecentErrors(), e => e.Component == GeneratedInterceptors.Component);
            Assert.Equal(("fetch", "System.Collections.Generic.KeyNotFoundException"), (error.Operation, error.Type));
            Assert.Contains("TracedStore.Load", error.StackTrace, StringComparison.Ordinal);
            Assert.Contains("GeneratedInterceptors.Fetch2", error.StackTrace, StringComparison.Ordinal);
            Assert.DoesNotContain(nameof(RethrowingCaller), error.StackTrace, StringComparison.Ordinal);
            Assert.DoesNotContain(nameof(CatchingCaller), error.StackTrace, StringComparison.Ordinal);
        }
        finally
        {
            store.Open();
            ((IMonitoringService)tracker).Stop();
        }
    }

    [Fact]
    public async Task A_failure_rethrown_through_three_nested_operations_is_one_error_with_the_stack_of_the_innermost_call()
    {
        using var harness = new TrackerHarness().Start();
        long[] failedBefore = [.. Recorders.Select(r => r.Snapshot().Failed)];

        Assert.Throws<KeyNotFoundException>(() => GeneratedInterceptors.Answer0(8));
        await harness.FlushAsync();

        Assert.Equal(1, harness.Errors.GetErrorCounts().Where(c => c.Component == GeneratedInterceptors.Component).Sum(c => c.Count));
        Assert.Equal([1L, 1L, 1L], Recorders.Select((r, i) => r.Snapshot().Failed - failedBefore[i]));
        TrackedError error = Assert.Single(harness.Errors.GetRecentErrors(), e => e.Component == GeneratedInterceptors.Component);
        Assert.Equal("fetch", error.Operation);
        Assert.Contains("GeneratedInterceptors.Fetch2", error.StackTrace, StringComparison.Ordinal);
        Assert.DoesNotContain("GeneratedInterceptors.Plan1", error.StackTrace, StringComparison.Ordinal);
        Assert.DoesNotContain("GeneratedInterceptors.Answer0", error.StackTrace, StringComparison.Ordinal);
    }

    private static OperationRecorder[] Recorders => [GeneratedInterceptors.Answer, GeneratedInterceptors.Plan, GeneratedInterceptors.Fetch];

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RethrowingCaller(int id)
    {
        try
        {
            CatchingCaller(id);
        }
        catch (KeyNotFoundException)
        {
            throw;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CatchingCaller(int id)
    {
        try
        {
            GeneratedInterceptors.Fetch2(id);
        }
        catch (KeyNotFoundException)
        {
            throw;
        }
    }

    /// <summary>A store with nothing in it whose history read waits until the test opens it: the worker handles nothing before.</summary>
    private sealed class GatedErrorStore : IErrorPersistence
    {
        private readonly ManualResetEventSlim _open = new();

        public ManualResetEventSlim Entered { get; } = new();

        public bool IsAvailable => false;

        public void Open() => _open.Set();

        public void Insert(TrackedError error)
        {
        }

        public void Save(ErrorGroupState group)
        {
        }

        public void Save(HourlyErrorKey key, long count)
        {
        }

        public void Save(HourlyCallKey key, long calls)
        {
        }

        public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public bool TryLoad(long since, out StoredErrors stored)
        {
            Entered.Set();
            _open.Wait(TrackerHarness.Patience);
            stored = new StoredErrors();
            return false;
        }

        public bool TryReadRecent(int limit, string? fingerprint, out List<TrackedError> errors)
        {
            errors = [];
            return false;
        }
    }
}
