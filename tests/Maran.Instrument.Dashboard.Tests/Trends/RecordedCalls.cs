using System.Diagnostics;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>Records calls of a known duration straight into an operation's cell, so trend arithmetic can be checked exactly.</summary>
internal static class RecordedCalls
{
    public static void Add(OperationRecorder recorder, int count, TimeSpan duration, OperationStatus status = OperationStatus.Success)
    {
        RecorderCell cell = recorder.ThreadCell;
        long ticks = (long)(duration.TotalSeconds * Stopwatch.Frequency);
        for (int i = 0; i < count; i++)
        {
            cell.Started++;
            if (status == OperationStatus.Success)
            {
                cell.Succeeded++;
            }
            else
            {
                cell.Failed++;
            }

            cell.RecordTimed(Stopwatch.GetTimestamp(), ticks, status);
        }
    }

    /// <summary>What a tick reads of an operation: its completed and running calls.</summary>
    public static OperationSample Sample(OperationRecorder recorder)
    {
        OperationSnapshot snapshot = recorder.Snapshot();
        return new OperationSample(recorder, snapshot.Count, snapshot.InFlight);
    }

    public static OperationRecorder NewOperation(string prefix) =>
        OperationRegistry.GetOrAdd(prefix + "-" + Guid.NewGuid().ToString("N"), "trends");
}
