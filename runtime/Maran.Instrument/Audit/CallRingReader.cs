using System.Diagnostics;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Audit;

/// <summary>
/// Takes every call the hot path writes into the recent-call rings (one per thread and operation), so auditing every
/// call adds nothing to the call itself. A call is taken once, by whichever side moves the cell's
/// <see cref="RecorderCell.AuditHead"/> past it first: the owning thread when its ring is full (before it overwrites
/// the oldest entry, see <see cref="ICallRingListener"/>), or the audit loop for the calls of a ring that is not full
/// yet. Calls overwritten before either took them (only while no listener was set) are counted as lost, never skipped
/// in silence; the trail decides which of them were its own.
/// </summary>
/// <remarks>
/// <see cref="Read"/>, <see cref="Reset"/> and <see cref="Prime"/> are used by one thread at a time, the audit loop
/// (or its start, before the loop runs); <see cref="Claim"/> by any.
/// </remarks>
internal sealed class CallRingReader
{
    private readonly Dictionary<RecorderCell, int> _looks = new(ReferenceEqualityComparer.Instance);
    private readonly List<RecorderCell> _ended = [];
    private int _look;

    /// <summary>The wall-clock time of a stopwatch timestamp, given one moment known on both clocks.</summary>
    internal static DateTimeOffset WallTime(long timestamp, DateTimeOffset anchorTime, long anchorTimestamp) =>
        anchorTime.AddSeconds((timestamp - anchorTimestamp) / (double)Stopwatch.Frequency);

    /// <summary>Forgets the rings of an earlier run; the calls in them stay, to be taken by the next claim.</summary>
    internal void Reset() => _looks.Clear();

    /// <summary>
    /// Starts from now: calls already in the rings are not taken, and laps before now are not counted as lost. For a
    /// trail that does not hold the listener, whose reads would otherwise count every earlier lap.
    /// </summary>
    internal void Prime()
    {
        _looks.Clear();
        foreach (OperationRecorder recorder in OperationRegistry.All)
        {
            foreach (RecorderCell cell in recorder.Cells)
            {
                Volatile.Write(ref cell.AuditHead, Volatile.Read(ref cell.RingHead));
                _looks[cell] = 0;
            }
        }
    }

    /// <summary>
    /// Takes every call of <paramref name="cell"/> not taken yet: copies each successful one's raw slot (start timestamp,
    /// packed duration and status) into <paramref name="calls"/>, oldest first, returns how many it copied, and sets
    /// <paramref name="lost"/> to the number that were overwritten before they could be taken. Failed and cancelled
    /// calls are left to the failure path, which knows their trace and exception type.
    /// </summary>
    /// <param name="cell">The ring to take from.</param>
    /// <param name="calls">At least <see cref="RecorderCell.RingSize"/> slots.</param>
    /// <param name="lost">Calls lapped before they were taken.</param>
    /// <remarks>
    /// The entries are copied first and kept only if the head still stood where the copy began: the owning thread
    /// overwrites an entry only after its full ring moved the head past it, so a copy that wins is a copy of entries
    /// no one changed.
    /// </remarks>
    internal static int Claim(RecorderCell cell, Span<RecentCallSlot> calls, out long lost)
    {
        const int Size = RecorderCell.RingSize;
        RecentCallSlot[] ring = cell.Ring;
        while (true)
        {
            int from = Volatile.Read(ref cell.AuditHead);
            int head = Volatile.Read(ref cell.RingHead);
            if (head == from)
            {
                lost = 0;
                return 0;
            }

            int start = head - from > Size ? head - Size : from;
            int copied = 0;
            for (int i = start; i != head; i++)
            {
                ref RecentCallSlot slot = ref ring[i & (Size - 1)];
                long packed = Volatile.Read(ref slot.Packed);
                calls[copied].Timestamp = Volatile.Read(ref slot.Timestamp);
                calls[copied].Packed = packed == Volatile.Read(ref slot.Packed) ? packed : 0;
                copied++;
            }

            int after = Volatile.Read(ref cell.RingHead);
            if (Interlocked.CompareExchange(ref cell.AuditHead, head, from) != from)
            {
                continue;
            }

            // An entry is lapped once the call RingSize after it is in (the head is past it); that happens to entries
            // not taken yet only while no listener takes full rings (before one was set). Torn reads show as 0. The
            // successful calls are moved down over the others, keeping their order.
            lost = start - from;
            int kept = 0;
            for (int n = 0; n < copied; n++)
            {
                long packed = calls[n].Packed;
                if (after - (start + n) > Size || packed == 0)
                {
                    lost++;
                }
                else if (RecentCallSlot.Status(packed) == OperationStatus.Success)
                {
                    calls[kept++] = calls[n];
                }
            }

            return kept;
        }
    }

    /// <summary>
    /// <see cref="Claim">Takes</see> the calls not taken yet from every ring, including the rings of threads that ended
    /// since the last look, which are read once more and then forgotten.
    /// </summary>
    internal void Read(TakenCalls taken)
    {
        Span<RecentCallSlot> calls = stackalloc RecentCallSlot[RecorderCell.RingSize];
        _look++;
        foreach (OperationRecorder recorder in OperationRegistry.All)
        {
            foreach (RecorderCell cell in recorder.Cells)
            {
                _looks[cell] = _look;
                Take(cell, calls, taken);
            }
        }

        // A thread that ended left its recorder's cells; what it wrote before is still in its cell.
        foreach ((RecorderCell cell, int look) in _looks)
        {
            if (look != _look)
            {
                Take(cell, calls, taken);
                _ended.Add(cell);
            }
        }

        foreach (RecorderCell cell in _ended)
        {
            _looks.Remove(cell);
        }

        _ended.Clear();
    }

    private static void Take(RecorderCell cell, Span<RecentCallSlot> calls, TakenCalls taken)
    {
        int count = Claim(cell, calls, out long lost);
        if (count > 0 || lost > 0)
        {
            taken(cell.Recorder, calls[..count], lost);
        }
    }
}

/// <summary>The successful calls taken from one ring (raw slots, oldest first) and the calls it lost before they were taken.</summary>
internal delegate void TakenCalls(OperationRecorder recorder, ReadOnlySpan<RecentCallSlot> calls, long lost);
