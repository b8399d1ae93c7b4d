using System.Collections.Concurrent;

namespace Maran.Instrument.Diagnostics;

/// <summary>
/// Failures inside the monitoring itself: counted (exported as <c>maran_internal_errors_total</c>) and reported
/// once per kind, never thrown into the user's code. Reports are written by one background thread
/// (<see cref="DiagnosticsWriter"/>): the thread that warns never waits for the sink.
/// </summary>
internal static class MonitoringDiagnostics
{
    private static readonly ConcurrentDictionary<string, long> s_internalErrors = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, long> s_dropped = new(StringComparer.Ordinal);
    private static readonly Action<string> s_standardError = DiagnosticsWriter.WriteStandardError;
    private static readonly TimeSpan s_flushPatience = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_swapPatience = TimeSpan.FromSeconds(2);
    private static Action<string> s_report = s_standardError;

    /// <summary>The report sink before logging is configured: one line on standard error.</summary>
    internal static Action<string> StandardError => s_standardError;

    /// <summary>
    /// Where once-per-kind reports go, called on the writer thread; standard error until logging is configured. Setting
    /// it first writes what is queued (waiting at most 2 s) to the sink it replaces, the sink that was current when those
    /// reports were made.
    /// </summary>
    internal static Action<string> Report
    {
        get => Volatile.Read(ref s_report);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            DiagnosticsWriter.Flush(s_swapPatience);
            Volatile.Write(ref s_report, value);
        }
    }

    /// <summary>Internal errors so far, by kind.</summary>
    internal static IReadOnlyDictionary<string, long> InternalErrors => s_internalErrors;

    /// <summary>Items dropped from full queues so far, by queue.</summary>
    internal static IReadOnlyDictionary<string, long> Dropped => s_dropped;

    /// <summary>Counts a failure inside monitoring; reports the first of each <paramref name="kind"/>.</summary>
    internal static void InternalError(string kind, Exception exception)
    {
        long count = s_internalErrors.AddOrUpdate(kind, 1, static (_, n) => n + 1);
        if (count == 1)
        {
            Warn($"[maran] internal error in {kind} (reported once, monitoring continues): {exception.GetType().Name}: {exception.Message}");
        }
    }

    /// <summary>Counts an item a full queue had to drop; reports the first drop of each <paramref name="queue"/>.</summary>
    internal static void Drop(string queue)
    {
        if (Count(queue) == 1)
        {
            Warn($"[maran] the {queue} queue is full: items are dropped and counted in maran_dropped_total (reported once)");
        }
    }

    /// <summary>Counts an item dropped under <paramref name="queue"/>; the first drop reports what <paramref name="report"/> writes, built only then.</summary>
    internal static void Drop(string queue, Func<string> report)
    {
        if (Count(queue) == 1)
        {
            Warn(report());
        }
    }

    /// <summary>Counts <paramref name="count"/> items dropped at once under <paramref name="queue"/>; reports the first drop of each queue.</summary>
    internal static void Drop(string queue, long count)
    {
        if (count > 0 && s_dropped.AddOrUpdate(queue, count, (_, n) => n + count) == count)
        {
            Warn($"[maran] the {queue} queue is full: items are dropped and counted in maran_dropped_total (reported once)");
        }
    }

    /// <summary>Counts <paramref name="count"/> items dropped under <paramref name="queue"/> without reporting; returns the queue's count so far.</summary>
    internal static long CountDrop(string queue, long count) => s_dropped.AddOrUpdate(queue, count, (_, n) => n + count);

    private static long Count(string queue) => s_dropped.AddOrUpdate(queue, 1, static (_, n) => n + 1);

    /// <summary>Queues a message for the writer thread; never blocks, and a full queue drops it and counts the drop.</summary>
    internal static void Warn(string message) => DiagnosticsWriter.Enqueue(message);

    /// <summary>
    /// Waits, at most <paramref name="timeout"/> (5 s when null), until the reports made before the call have reached
    /// <see cref="Report"/>; false when the time ran out first (a sink that blocks).
    /// </summary>
    internal static bool Flush(TimeSpan? timeout = null) => DiagnosticsWriter.Flush(timeout ?? s_flushPatience);
}
