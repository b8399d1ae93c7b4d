using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Maran.Instrument.Telemetry;

/// <summary>
/// Which exceptions have been recorded as a failure, so that one failure is one error: the monitored call where it was
/// raised records it; each enclosing monitored call, and an exception that wraps it (an <see cref="AggregateException"/>
/// or any exception whose inner chain holds it), is the same failure. The marks live beside the exceptions, in a
/// <see cref="ConditionalWeakTable{TKey, TValue}"/>: user code never sees them, and they go when the exception does.
/// </summary>
/// <remarks>
/// A mark carries when it was made, so an exception instance thrown again later (a cached exception) is a new failure
/// for a call that started after the mark; a call that was already running when the mark was made is one the failure
/// went through. A call whose duration is not sampled has no start and counts as one it went through.
/// </remarks>
internal static class RecordedFailures
{
    private const int MaxDepth = 8;
    private static readonly ConditionalWeakTable<Exception, Mark> s_marks = [];

    /// <summary>
    /// True when <paramref name="exception"/> is a new failure for a monitored call that started at
    /// <paramref name="callStart"/> (stopwatch ticks, 0 when unknown), which marks it recorded; false when the call is one
    /// the recorded failure went through.
    /// </summary>
    internal static bool TryRecord(Exception exception, long callStart) =>
        Find(exception, 0) is { } mark && (callStart == 0 || mark.At >= callStart) ? false : Record(exception, manual: false);

    /// <summary>
    /// True when <paramref name="exception"/>, reported by hand, is not a failure a monitored call recorded; marks it.
    /// The same exception reported by hand again is a new report.
    /// </summary>
    internal static bool TryRecordReported(Exception exception) =>
        Find(exception, 0) is { Manual: false } ? false : Record(exception, manual: true);

    private static bool Record(Exception exception, bool manual)
    {
        s_marks.AddOrUpdate(exception, new Mark(Stopwatch.GetTimestamp(), manual));
        return true;
    }

    private static Mark? Find(Exception exception, int depth)
    {
        if (s_marks.TryGetValue(exception, out Mark? mark))
        {
            return mark;
        }

        if (depth >= MaxDepth)
        {
            return null;
        }

        if (exception is AggregateException aggregate)
        {
            foreach (Exception inner in aggregate.InnerExceptions)
            {
                if (Find(inner, depth + 1) is { } found)
                {
                    return found;
                }
            }

            return null;
        }

        return exception.InnerException is { } next ? Find(next, depth + 1) : null;
    }

    private sealed record Mark(long At, bool Manual);
}
