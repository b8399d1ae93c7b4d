using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Maran.Instrument.Profiling;

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

    // When this thread last took a CPU-time sample of this operation (stopwatch ticks).
    internal long CpuSampledAt;
    internal int SampleCountdown;
    internal int AllocationCountdown;
    internal int CpuCountdown = 1;
    internal int RingHead;

    // Ring entries before this one have been taken by the audit trail; moved forward only by compare-and-swap, by
    // the owning thread when its ring is full and by the audit loop (see CallRingReader.Claim).
    internal int AuditHead;

    // Ring entries up to here are in Buckets and MaxTicks; those after it are pending (at most RingSize).
    internal int FoldedHead;

    // Timed when the buckets were last checked for a spill.
    internal long TimedAtSpillCheck;

    // The histogram, allocated at the first fold (after RingSize calls on this thread): until then the ring holds
    // every call, so an operation called a few times per thread costs no 1.4 KB array per thread.
    internal int[]? Buckets;
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

    /// <summary>
    /// Records one timed call that ended with <paramref name="status"/>: counts, total and the ring entry now;
    /// the histogram bucket and the maximum once <see cref="RingSize"/> entries are pending (see <see cref="Fold"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void RecordTimed(long startTimestamp, long elapsed, OperationStatus status)
    {
        Timed++;
        TotalTicks += elapsed;
        int head = RingHead;
        ref RecentCallSlot entry = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Ring), head & (RingSize - 1));
        Volatile.Write(ref entry.Packed, 0);
        entry.Timestamp = startTimestamp;
        Volatile.Write(ref entry.Packed, RecentCallSlot.Pack(elapsed, status));
        Volatile.Write(ref RingHead, ++head);
        if (head - FoldedHead == RingSize)
        {
            RingFull();
        }
    }

    /// <summary>
    /// Folds a full ring and, while a listener takes every call (the audit trail), hands it the entries it has not
    /// taken yet, before the next call overwrites the oldest: a ring that fills faster than the listener reads loses
    /// nothing. Every <see cref="RingSize"/> calls, on the owning thread.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RingFull()
    {
        Fold();
        if (OperationEvents.CallRingListener is { } listener)
        {
            OperationEvents.RingFull(listener, this);
        }
    }

    /// <summary>
    /// Moves the pending ring entries into the histogram and the maximum. Batching keeps the bucket arithmetic
    /// off the per-call path, where every instruction between two clock reads costs its full latency; 32
    /// independent entries at a time run in parallel instead.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Fold()
    {
        int head = RingHead;
        long max = MaxTicks;
        ref RecentCallSlot ring = ref MemoryMarshal.GetArrayDataReference(Ring);
        ref int buckets = ref MemoryMarshal.GetArrayDataReference(Buckets ??= new int[DurationHistogram.BucketCount]);
        for (int i = FoldedHead; i != head; i++)
        {
            long elapsed = RecentCallSlot.Elapsed(Unsafe.Add(ref ring, i & (RingSize - 1)).Packed);
            max = Math.Max(max, elapsed);

            // BucketOf is always below BucketCount, the length of Buckets; overflow is handled by SpillFullBuckets.
            Unsafe.Add(ref buckets, DurationHistogram.BucketOf(elapsed))++;
        }

        Volatile.Write(ref MaxTicks, max);
        Volatile.Write(ref FoldedHead, head);
        if (Timed - TimedAtSpillCheck >= SpillThreshold / 2)
        {
            SpillFullBuckets();
        }
    }

    // Each bucket is below SpillThreshold after this runs, and gains at most SpillThreshold / 2 + RingSize before
    // it runs again: an int never overflows, and the loop above needs no check (nor a call that spills registers).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void SpillFullBuckets()
    {
        TimedAtSpillCheck = Timed;
        int[] buckets = Buckets!;
        for (int i = 0; i < buckets.Length; i++)
        {
            if (buckets[i] >= SpillThreshold)
            {
                Recorder.Spill(i);
                buckets[i] -= SpillThreshold;
            }
        }
    }

    /// <summary>
    /// Adds this cell's histogram to <paramref name="buckets"/> and returns its maximum, pending ring entries
    /// included. Exact once the owning thread has stopped; while it runs, the picture is retaken if a fold
    /// happened during the read, so no batch is counted twice or missed.
    /// </summary>
    internal long ReadHistogram(long[] buckets)
    {
        var copy = new long[buckets.Length];
        long max = 0;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            int folded = Volatile.Read(ref FoldedHead);
            int head = Volatile.Read(ref RingHead);
            if (Volatile.Read(ref Buckets) is { } histogram)
            {
                for (int i = 0; i < copy.Length; i++)
                {
                    copy[i] = Volatile.Read(ref histogram[i]);
                }
            }
            else
            {
                Array.Clear(copy);
            }

            max = Volatile.Read(ref MaxTicks);
            int pending = Math.Clamp(head - folded, 0, RingSize);
            for (int i = head - pending; i != head; i++)
            {
                long packed = Volatile.Read(ref Ring[i & (RingSize - 1)].Packed);
                if (packed != 0)
                {
                    long elapsed = RecentCallSlot.Elapsed(packed);
                    max = Math.Max(max, elapsed);
                    copy[DurationHistogram.BucketOf(elapsed)]++;
                }
            }

            if (Volatile.Read(ref FoldedHead) == folded)
            {
                break;
            }
        }

        for (int i = 0; i < buckets.Length; i++)
        {
            buckets[i] += copy[i];
        }

        return max;
    }

    /// <summary>Puts a call of an ended thread into this (retired) cell's ring, for display only: it is already counted.</summary>
    internal void AddRecent(long startTimestamp, long elapsed, OperationStatus status)
    {
        int slot = RingHead & (RingSize - 1);
        Ring[slot] = new RecentCallSlot { Timestamp = startTimestamp, Packed = RecentCallSlot.Pack(elapsed, status) };
        RingHead++;
        FoldedHead = RingHead;
    }

    /// <summary>Adds every tally of <paramref name="other"/> (a cell whose thread has ended) to this one.</summary>
    internal void Absorb(RecorderCell other)
    {
        other.Fold();
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
        if (other.Buckets is not { } absorbed)
        {
            return;
        }

        int[] buckets = Buckets ??= new int[DurationHistogram.BucketCount];
        for (int i = 0; i < buckets.Length; i++)
        {
            long sum = (long)buckets[i] + absorbed[i];
            if (sum >= SpillThreshold)
            {
                Recorder.Spill(i);
                sum -= SpillThreshold;
            }

            buckets[i] = (int)sum;
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
