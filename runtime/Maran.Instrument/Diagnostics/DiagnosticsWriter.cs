using System.Collections.Concurrent;
using System.Text;

namespace Maran.Instrument.Diagnostics;

/// <summary>
/// The one thread that writes diagnostics: a warning is queued (bounded, dropped and counted when full) and this
/// thread hands it to <see cref="MonitoringDiagnostics.Report"/>, so the thread that warned never waits for a sink. What
/// is queued is written before <see cref="Flush"/> returns; the monitoring system flushes on Stop and at process exit.
/// </summary>
/// <remarks>
/// A warning thread takes no lock: an interlocked count, a lock-free enqueue and a wake-up. The standard-error sink
/// writes to a stream of its own over the process's standard error, never through <see cref="Console.Error"/>: setting
/// <see cref="Console.OutputEncoding"/> holds the console's lock while it waits for <see cref="Console.Error"/>'s, and a
/// write through <see cref="Console.Error"/> can need them the other way round, which hangs both threads.
/// </remarks>
internal static class DiagnosticsWriter
{
    /// <summary>The queue's name in <c>maran_dropped_total</c>.</summary>
    internal const string QueueName = "diagnostics";

    /// <summary>Messages waiting at most; a warning past it is dropped and counted.</summary>
    internal const int Capacity = 1024;

    /// <summary>How long process exit waits for the queue to be written.</summary>
    private static readonly TimeSpan s_exitPatience = TimeSpan.FromSeconds(2);

    private static readonly ConcurrentQueue<string> s_queue = new();
    private static readonly AutoResetEvent s_wake = new(initialState: false);
    private static readonly object s_written = new();
    private static readonly object s_standardErrorGate = new();
    private static int s_queued;
    private static long s_acceptedCount;
    private static long s_writtenCount;
    private static int s_started;
    private static int s_dropReportDue;
    private static Thread? s_thread;
    private static StreamWriter? s_standardError;

    /// <summary>Queues <paramref name="message"/> for the writer; never blocks. False (and counted) when the queue is full.</summary>
    public static bool Enqueue(string message)
    {
        if (Interlocked.Increment(ref s_queued) > Capacity)
        {
            Interlocked.Decrement(ref s_queued);
            if (MonitoringDiagnostics.CountDrop(QueueName, 1) == 1)
            {
                Volatile.Write(ref s_dropReportDue, 1);
            }

            return false;
        }

        Interlocked.Increment(ref s_acceptedCount);
        s_queue.Enqueue(message);
        EnsureStarted();
        s_wake.Set();
        return true;
    }

    /// <summary>
    /// Waits, at most <paramref name="timeout"/>, until every message queued before the call has been handed to its
    /// sink; true when they all were. On the writer thread itself (a sink that reports) it returns at once.
    /// </summary>
    public static bool Flush(TimeSpan timeout)
    {
        long target = Interlocked.Read(ref s_acceptedCount);
        if (ReferenceEquals(Thread.CurrentThread, s_thread))
        {
            return Interlocked.Read(ref s_writtenCount) >= target;
        }

        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (s_written)
        {
            while (Interlocked.Read(ref s_writtenCount) < target)
            {
                long left = deadline - Environment.TickCount64;
                if (left <= 0 || !Monitor.Wait(s_written, (int)Math.Min(left, int.MaxValue)))
                {
                    return Interlocked.Read(ref s_writtenCount) >= target;
                }
            }
        }

        return true;
    }

    /// <summary>Writes one line to the process's standard error through the writer's own stream.</summary>
    public static void WriteStandardError(string message)
    {
        lock (s_standardErrorGate)
        {
            s_standardError ??= new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };
            s_standardError.WriteLine(message);
        }
    }

    private static void EnsureStarted()
    {
        if (Volatile.Read(ref s_started) != 0 || Interlocked.CompareExchange(ref s_started, 1, 0) != 0)
        {
            return;
        }

        var thread = new Thread(Run) { IsBackground = true, Name = "maran diagnostics" };
        s_thread = thread;
        AppDomain.CurrentDomain.ProcessExit += static (_, _) => Flush(s_exitPatience);
        thread.Start();
    }

    private static void Run()
    {
        while (true)
        {
            s_wake.WaitOne();
            while (s_queue.TryDequeue(out string? message))
            {
                Interlocked.Decrement(ref s_queued);
                Write(message);
                Interlocked.Increment(ref s_writtenCount);
            }

            if (Interlocked.Exchange(ref s_dropReportDue, 0) == 1)
            {
                Write($"[maran] the {QueueName} queue is full: reports are dropped and counted in maran_dropped_total (reported once)");
            }

            lock (s_written)
            {
                Monitor.PulseAll(s_written);
            }
        }
    }

    // A sink that fails loses the message; the counters still hold the figures.
    private static void Write(string message)
    {
        try
        {
            MonitoringDiagnostics.Report(message);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Nowhere left to report to.
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("the diagnostics sink", ex);
        }
    }
}
