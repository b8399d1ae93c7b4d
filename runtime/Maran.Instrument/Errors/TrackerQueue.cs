using System.Collections.Concurrent;
using Maran.Instrument.Diagnostics;

namespace Maran.Instrument.Errors;

/// <summary>
/// The plumbing the error and cost trackers share: a bounded queue that drops and counts when full, one background
/// loop that first reads the tracker's history and then handles items in batches, a periodic tick through the same
/// loop, and read-your-writes waits ("everything accepted before this call has been handled").
/// </summary>
/// <remarks>
/// Accepting an item takes no lock: two interlocked increments and a lock-free enqueue, so the threads that record
/// calls never wait for the loop or for each other. One counter holds the items queued and, once stopped, a bias
/// that makes every later item count as over capacity: an item is either refused and counted, or handled before
/// <see cref="Stop"/> returns.
/// </remarks>
internal sealed class TrackerQueue<T>
    where T : struct
{
    private const int BatchSize = 256;

    private const int Closed = 1 << 30;

    private readonly string _name;
    private readonly int _capacity;
    private readonly TimeProvider _time;
    private readonly TimeSpan _tickEvery;
    private readonly Action _loadHistory;
    private readonly Action<List<T>> _handle;
    private readonly Action _tick;
    private readonly object _gate = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _waiters = [];
    private readonly ConcurrentQueue<Entry> _items = new();
    private Task? _loop;
    private ITimer? _timer;
    private volatile bool _historyRead;

    // Entries queued and not yet taken by the loop, plus Closed while the queue is stopped.
    private int _queued = Closed;
    private TaskCompletionSource? _sleeper;
    private long _accepted;
    private long _handled;

    /// <param name="name">The queue's name in <c>maran_dropped_total</c> and diagnostics.</param>
    /// <param name="capacity">Items waiting at most.</param>
    /// <param name="time">The clock of the ticks.</param>
    /// <param name="tickEvery">How often <paramref name="tick"/> runs on the loop.</param>
    /// <param name="loadHistory">Runs once, on the loop, before the first item.</param>
    /// <param name="handle">Handles a batch of items, on the loop; must not throw.</param>
    /// <param name="tick">Runs on the loop every <paramref name="tickEvery"/>; must not throw.</param>
    public TrackerQueue(string name, int capacity, TimeProvider time, TimeSpan tickEvery, Action loadHistory, Action<List<T>> handle, Action tick)
    {
        _name = name;
        _capacity = Math.Clamp(capacity, 1, Closed / 2);
        _time = time;
        _tickEvery = tickEvery;
        _loadHistory = loadHistory;
        _handle = handle;
        _tick = tick;
    }

    /// <summary>Whether an item would be accepted now; counts a drop when not. Lets callers skip costly capture work.</summary>
    public bool HasRoom()
    {
        if (Volatile.Read(ref _queued) < _capacity)
        {
            return true;
        }

        MonitoringDiagnostics.Drop(_name);
        return false;
    }

    /// <summary>Queues an item for the loop; never blocks. False (and counted) when the queue is full or stopped.</summary>
    public bool TryAccept(in T item)
    {
        if (Interlocked.Increment(ref _queued) > _capacity)
        {
            Interlocked.Decrement(ref _queued);
            MonitoringDiagnostics.Drop(_name);
            return false;
        }

        Interlocked.Increment(ref _accepted);
        _items.Enqueue(new Entry(item, IsTick: false));
        Wake();
        return true;
    }

    public void Start()
    {
        lock (_gate)
        {
            if (_loop is not null)
            {
                return;
            }

            Interlocked.Add(ref _queued, -Closed);
            _loop = Task.Run(RunAsync);
            _timer = _time.CreateTimer(static s => ((TrackerQueue<T>)s!).RequestTick(), this, _tickEvery, _tickEvery);
        }
    }

    /// <summary>Stops accepting, runs a last tick, handles everything accepted, and returns; false when that took longer than <paramref name="timeout"/>.</summary>
    public bool Stop(TimeSpan timeout)
    {
        Task? loop;
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
            loop = _loop;
            _loop = null;
            if (loop is null)
            {
                return true;
            }

            // One last tick, so what accrued since the previous one (compute time, for costs) is recorded too.
            RequestTick();
            Interlocked.Add(ref _queued, Closed);
            Wake();
        }

        return loop.Wait(timeout);
    }

    /// <summary>Runs a tick on the loop now (tests use it instead of waiting for the timer).</summary>
    public void RequestTick()
    {
        if (Interlocked.Increment(ref _queued) >= Closed)
        {
            Interlocked.Decrement(ref _queued);
            return;
        }

        Interlocked.Increment(ref _accepted);
        _items.Enqueue(new Entry(default, IsTick: true));
        Wake();
    }

    /// <summary>Completes when the loop has read the history and handled everything accepted before the call; at once when not running.</summary>
    public Task WhenHandled()
    {
        long target = Interlocked.Read(ref _accepted);
        lock (_gate)
        {
            if (_loop is null)
            {
                return Task.CompletedTask;
            }
        }

        lock (_waiters)
        {
            if (_historyRead && Interlocked.Read(ref _handled) >= target)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((target, done));
            return done.Task;
        }
    }

    /// <summary>Waits, at most <paramref name="timeout"/>, for <see cref="WhenHandled"/>.</summary>
    public void WaitHandled(TimeSpan timeout) => WhenHandled().Wait(timeout);

    // Wakes the loop if it sleeps. The loop announces its sleep before it looks at the queue a last time, so an entry
    // queued meanwhile is either seen by that look or followed by this release.
    private void Wake()
    {
        if (Volatile.Read(ref _sleeper) is { } sleeper && Interlocked.CompareExchange(ref _sleeper, null, sleeper) == sleeper)
        {
            sleeper.TrySetResult();
        }
    }

    private async Task RunAsync()
    {
        try
        {
            if (!_historyRead)
            {
                Safely(_loadHistory, "history");
                _historyRead = true;
            }

            MarkHandled(0);
            var batch = new List<T>(BatchSize);
            while (true)
            {
                int taken = 0;
                while (taken < BatchSize && _items.TryDequeue(out Entry entry))
                {
                    taken++;
                    Interlocked.Decrement(ref _queued);
                    if (!entry.IsTick)
                    {
                        batch.Add(entry.Item);
                        continue;
                    }

                    // A tick sees the items before it, as the clock saw them.
                    Handle(batch);
                    Safely(_tick, "tick");
                }

                if (taken > 0)
                {
                    Handle(batch);
                    MarkHandled(taken);
                    continue;
                }

                int queued = Volatile.Read(ref _queued);
                if (queued == Closed)
                {
                    return;
                }

                if (queued != 0)
                {
                    // Counted but not in the queue yet: its writer is between the two steps (or is giving back a refused slot).
                    Thread.Yield();
                    continue;
                }

                var sleeper = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Interlocked.Exchange(ref _sleeper, sleeper);
                if (Volatile.Read(ref _queued) != 0)
                {
                    Interlocked.CompareExchange(ref _sleeper, null, sleeper);
                    continue;
                }

                await sleeper.Task.ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError(_name + " loop", ex);
        }
        finally
        {
            ReleaseWaiters();
        }
    }
    private void Handle(List<T> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            _handle(batch);
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError(_name, ex);
        }

        batch.Clear();
    }

    private void Safely(Action action, string what)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError($"{_name} {what}", ex);
        }
    }

    private void MarkHandled(int count)
    {
        lock (_waiters)
        {
            long handled = Interlocked.Add(ref _handled, count);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Target <= handled)
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private void ReleaseWaiters()
    {
        lock (_waiters)
        {
            foreach ((long _, TaskCompletionSource done) in _waiters)
            {
                done.TrySetResult();
            }

            _waiters.Clear();
        }
    }

    private readonly record struct Entry(T Item, bool IsTick);
}
