using System.Runtime.CompilerServices;

namespace Maran.Instrument;

/// <summary>
/// One thread's tallies for one operation. Only the owning thread writes a cell, with plain stores, so the
/// hot path takes no lock and no interlocked instruction; readers sum every cell of the operation.
/// </summary>
/// <remarks>
/// Counts stay exact: each field has a single writer, and a reader that runs after the writers have stopped
/// (or been joined) sees every store. Concurrent readers see a recent, possibly mid-update, picture.
/// A cell is allocated by its owning thread, so it sits in that thread's allocation context, away from the
/// cells other threads write: no padding is needed against false sharing.
/// </remarks>
internal sealed class RecorderCell
{
    /// <summary>Entries kept per thread in the recent-call ring; a power of two.</summary>
    internal const int RingSize = 32;

    /// <summary>Count at which a bucket hands its tally to the recorder, keeping the per-thread array small.</summary>
    internal const int SpillThreshold = 1 << 30;

    internal long Started;
    internal long Succeeded;
    internal long Failed;
    internal long Cancelled;
    internal long Timed;
    internal long TotalTicks;
    internal long MaxTicks;
    internal long AllocationSamples;
    internal long AllocatedBytes;
    internal long CpuSamples;
    internal long CpuNanoseconds;

    // A CPU-time sample in flight on this thread: its start, and the allocation reading of the call that took it.
    internal long CpuStart = -1;
    internal long CpuStartOwner;
    internal int SampleCountdown;
    internal int AllocationCountdown;
    internal int CpuCountdown = 1;
    internal int RingHead;

    internal readonly int[] Buckets = new int[DurationHistogram.BucketCount];
    internal readonly RecentCallSlot[] Ring = new RecentCallSlot[RingSize];
    internal readonly OperationRecorder Recorder;
    internal readonly Thread? Owner;

    internal RecorderCell(OperationRecorder recorder, Thread? owner)
    {
        Recorder = recorder;
        Owner = owner;
        SampleCountdown = 1;
        AllocationCountdown = 1;
    }

    /// <summary>Records one timed call that ended with <paramref name="status"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void RecordTimed(long startTimestamp, long elapsed, OperationStatus status)
    {
        Timed++;
        TotalTicks += elapsed;
        if (elapsed > MaxTicks)
        {
            MaxTicks = elapsed;
        }

        ref int bucket = ref Buckets[DurationHistogram.BucketOf(elapsed)];
        if (++bucket == SpillThreshold)
        {
            Recorder.Spill(DurationHistogram.BucketOf(elapsed));
            bucket = 0;
        }

        int slot = RingHead++ & (RingSize - 1);
        ref RecentCallSlot entry = ref Ring[slot];
        Volatile.Write(ref entry.Packed, 0);
        entry.Timestamp = startTimestamp;
        Volatile.Write(ref entry.Packed, RecentCallSlot.Pack(elapsed, status));
    }

    /// <summary>Adds every tally of <paramref name="other"/> (a cell whose thread has ended) to this one.</summary>
    internal void Absorb(RecorderCell other)
    {
        Started += other.Started;
        Succeeded += other.Succeeded;
        Failed += other.Failed;
        Cancelled += other.Cancelled;
        Timed += other.Timed;
        TotalTicks += other.TotalTicks;
        MaxTicks = Math.Max(MaxTicks, other.MaxTicks);
        AllocationSamples += other.AllocationSamples;
        AllocatedBytes += other.AllocatedBytes;
        CpuSamples += other.CpuSamples;
        CpuNanoseconds += other.CpuNanoseconds;
        for (int i = 0; i < Buckets.Length; i++)
        {
            long sum = (long)Buckets[i] + other.Buckets[i];
            if (sum >= SpillThreshold)
            {
                Recorder.Spill(i);
                sum -= SpillThreshold;
            }

            Buckets[i] = (int)sum;
        }
    }
}

/// <summary>One entry of a cell's recent-call ring: start timestamp, and duration with status packed in.</summary>
internal struct RecentCallSlot
{
    internal long Timestamp;
    internal long Packed;

    internal static long Pack(long elapsed, OperationStatus status) =>
        (Math.Max(elapsed, 0L) << 2) | (long)status | (1L << 62);

    internal static long Elapsed(long packed) => (packed & ~(1L << 62)) >> 2;

    internal static OperationStatus Status(long packed) => (OperationStatus)(packed & 3);
}
