namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>
/// Runs one piece of work on two threads at once: the caller's and a helper thread kept for the whole run, so
/// each thread keeps its own cells from one invocation to the next. A barrier starts and ends each round.
/// </summary>
public sealed class ParallelPair : IDisposable
{
    private readonly Barrier _barrier = new(2);
    private readonly Thread _helper;
    private Action? _work;
    private volatile bool _stopping;

    /// <summary>Starts the helper thread.</summary>
    public ParallelPair()
    {
        _helper = new Thread(HelperLoop) { IsBackground = true, Name = "contention helper" };
        _helper.Start();
    }

    /// <summary>Runs <paramref name="work"/> on both threads and returns when both have finished.</summary>
    public void Run(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        _work = work;
        _barrier.SignalAndWait();
        work();
        _barrier.SignalAndWait();
    }

    /// <summary>Stops the helper thread.</summary>
    public void Dispose()
    {
        _stopping = true;
        _barrier.SignalAndWait();
        _helper.Join();
        _barrier.Dispose();
    }

    private void HelperLoop()
    {
        while (true)
        {
            _barrier.SignalAndWait();
            if (_stopping)
            {
                return;
            }

            _work!();
            _barrier.SignalAndWait();
        }
    }
}
