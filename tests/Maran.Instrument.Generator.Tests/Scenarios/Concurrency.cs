using System.Threading;
using Maran.Instrument;

namespace Scenarios.Concurrency;

public static class Work
{
    [MonitorOperation("tick", "concurrency")]
    public static int Tick(int value) => value + 1;
}

public static class Program
{
    public static void Run(int threads, int callsPerThread)
    {
        var workers = new Thread[threads];
        using var start = new ManualResetEventSlim();
        for (int t = 0; t < threads; t++)
        {
            workers[t] = new Thread(() =>
            {
                start.Wait();
                int sink = 0;
                for (int i = 0; i < callsPerThread; i++)
                {
                    sink = Work.Tick(sink);
                }
            });
            workers[t].Start();
        }

        start.Set();
        foreach (Thread worker in workers)
        {
            worker.Join();
        }
    }
}
