using System.Collections.Concurrent;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Errors;
using Microsoft.Extensions.Time.Testing;

namespace Maran.Instrument.Tests.Errors;

/// <summary>The queue the error and cost trackers share: lock-free accepts, exact drop counts, nothing accepted lost at stop.</summary>
public class TrackerQueueTests
{
    [Fact]
    public void Every_item_from_many_threads_is_either_handled_once_or_counted_as_dropped()
    {
        string name = "test-queue-" + Guid.NewGuid().ToString("N");
        var handled = new ConcurrentDictionary<int, int>();
        var queue = new TrackerQueue<int>(name, capacity: 64, new FakeTimeProvider(), TimeSpan.FromHours(1), () => { }, batch =>
        {
            foreach (int item in batch)
            {
                handled.AddOrUpdate(item, 1, (_, n) => n + 1);
            }

            Thread.SpinWait(2_000);
        }, () => { });
        queue.Start();

        const int Threads = 4, PerThread = 20_000;
        var accepted = new ConcurrentBag<int>();
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                int item = (t * PerThread) + i;
                if (queue.TryAccept(item))
                {
                    accepted.Add(item);
                }
            }
        });

        Assert.True(queue.Stop(TimeSpan.FromSeconds(30)));
        long dropped = MonitoringDiagnostics.Dropped.GetValueOrDefault(name);
        Assert.Equal(Threads * PerThread, accepted.Count + dropped);
        Assert.True(dropped > 0, "a queue of 64 behind a slow handler must refuse some of 80,000 items");
        Assert.Equal(accepted.Order(), handled.Keys.Order());
        Assert.All(handled.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public void A_stopped_queue_refuses_and_counts_what_it_is_given()
    {
        string name = "test-queue-" + Guid.NewGuid().ToString("N");
        var handled = new List<int>();
        var queue = new TrackerQueue<int>(name, capacity: 8, new FakeTimeProvider(), TimeSpan.FromHours(1), () => { }, handled.AddRange, () => { });
        Assert.False(queue.TryAccept(1));

        queue.Start();
        Assert.True(queue.TryAccept(2));
        Assert.True(queue.Stop(TimeSpan.FromSeconds(10)));
        Assert.False(queue.TryAccept(3));

        Assert.Equal([2], handled);
        Assert.Equal(2, MonitoringDiagnostics.Dropped.GetValueOrDefault(name));
    }

    [Fact]
    public async Task When_handled_completes_once_everything_accepted_before_it_has_been_handled()
    {
        var handled = new ConcurrentQueue<int>();
        var gate = new ManualResetEventSlim();
        var queue = new TrackerQueue<int>("test-queue-" + Guid.NewGuid().ToString("N"), capacity: 100, new FakeTimeProvider(), TimeSpan.FromHours(1), () => { }, batch =>
        {
            gate.Wait();
            foreach (int item in batch)
            {
                handled.Enqueue(item);
            }
        }, () => { });
        queue.Start();
        for (int i = 0; i < 10; i++)
        {
            Assert.True(queue.TryAccept(i));
        }

        Task done = queue.WhenHandled();
        Assert.False(done.IsCompleted);
        gate.Set();
        await done.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(Enumerable.Range(0, 10), handled);
        Assert.True(queue.Stop(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_tick_sees_the_items_accepted_before_it_and_a_restarted_queue_handles_again()
    {
        var seen = new List<string>();
        TrackerQueue<int>? queue = null;
        queue = new TrackerQueue<int>("test-queue-" + Guid.NewGuid().ToString("N"), capacity: 100, new FakeTimeProvider(), TimeSpan.FromHours(1), () => { }, batch =>
        {
            lock (seen)
            {
                seen.AddRange(batch.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }, () =>
        {
            lock (seen)
            {
                seen.Add("tick");
            }
        });

        queue.Start();
        queue.TryAccept(1);
        queue.RequestTick();
        queue.TryAccept(2);
        Assert.True(queue.Stop(TimeSpan.FromSeconds(10)));
        Assert.Equal(["1", "tick", "2", "tick"], seen);

        queue.Start();
        Assert.True(queue.TryAccept(3));
        Assert.True(queue.Stop(TimeSpan.FromSeconds(10)));
        Assert.Equal(["1", "tick", "2", "tick", "3", "tick"], seen);
    }
}
