using System.Diagnostics;

namespace Maran.Instrument;

/// <summary>
/// Reads the calls that completed since its last look from the recent-call rings the hot path already writes (one
/// per thread and operation), so auditing every call adds nothing to the call itself. A ring holds the last
/// <see cref="RecorderCell.RingSize"/> calls of its thread: calls overwritten before a look are counted as lost, never
/// skipped in silence.
/// </summary>
/// <remarks>Used by one thread, the audit loop.</remarks>
internal sealed class CallRingReader
{
    private readonly Dictionary<RecorderCell, Cursor> _cursors = new(ReferenceEqualityComparer.Instance);
    private readonly List<RecorderCell> _ended = [];
    private int _look;

    /// <summary>The wall-clock time of a stopwatch timestamp, given one moment known on both clocks.</summary>
    internal static DateTimeOffset WallTime(long timestamp, DateTimeOffset anchorTime, long anchorTimestamp) =>
        anchorTime.AddSeconds((timestamp - anchorTimestamp) / (double)Stopwatch.Frequency);

    /// <summary>Starts from now: calls already in the rings are not read.</summary>
    internal void Prime()
    {
        _cursors.Clear();
        foreach (OperationRecorder recorder in OperationRegistry.All)
        {
            foreach (RecorderCell cell in recorder.Cells)
            {
                _cursors[cell] = new Cursor { Head = Volatile.Read(ref cell.RingHead) };
            }
        }
    }

    /// <summary>
    /// Hands every successful call completed since the last look to <paramref name="call"/>, and the number of calls of
    /// an operation that were overwritten before they could be read to <paramref name="lost"/>. Failed and cancelled
    /// calls are left to the failure path, which knows their trace and exception type. Returns the most calls one ring
    /// held since the last look, so the reader can look sooner when rings fill up.
    /// </summary>
    internal int Read(Action<OperationRecorder, long, long> call, Action<OperationRecorder, long> lost)
    {
        _look++;
        int fullest = 0;
        foreach (OperationRecorder recorder in OperationRegistry.All)
        {
            foreach (RecorderCell cell in recorder.Cells)
            {
                if (!_cursors.TryGetValue(cell, out Cursor? cursor))
                {
                    // A cell made since the last look belongs to a thread that first called the operation since then.
                    cursor = new Cursor();
                    _cursors[cell] = cursor;
                }

                cursor.Look = _look;
                fullest = Math.Max(fullest, ReadCell(cell, cursor, call, lost));
            }
        }

        // A thread that ended left its cell's array; what it wrote before is still in the cell, read once more.
        foreach ((RecorderCell cell, Cursor cursor) in _cursors)
        {
            if (cursor.Look != _look)
            {
                ReadCell(cell, cursor, call, lost);
                _ended.Add(cell);
            }
        }

        foreach (RecorderCell cell in _ended)
        {
            _cursors.Remove(cell);
        }

        _ended.Clear();
        return fullest;
    }

    private static int ReadCell(RecorderCell cell, Cursor cursor, Action<OperationRecorder, long, long> call, Action<OperationRecorder, long> lost)
    {
        int head = Volatile.Read(ref cell.RingHead);
        int from = cursor.Head;
        int since = head - from;
        int size = RecorderCell.RingSize;
        long missed = 0;
        if (head - from > size)
        {
            missed = head - from - size;
            from = head - size;
        }

        RecentCallSlot[] ring = cell.Ring;
        Span<long> timestamps = stackalloc long[RecorderCell.RingSize];
        Span<long> packs = stackalloc long[RecorderCell.RingSize];
        int count = 0;
        for (int i = from; i != head; i++)
        {
            ref RecentCallSlot slot = ref ring[i & (size - 1)];
            long packed = Volatile.Read(ref slot.Packed);
            long timestamp = Volatile.Read(ref slot.Timestamp);
            timestamps[count] = timestamp;
            packs[count] = packed == Volatile.Read(ref slot.Packed) ? packed : 0;
            count++;
        }

        // Entries the writer may have lapped while they were read are not trusted: the call at head - size + 1 and
        // later ones were still in place when the head was read again.
        int after = Volatile.Read(ref cell.RingHead);
        for (int n = 0; n < count; n++)
        {
            int index = from + n;
            long packed = packs[n];
            if (after - index >= size || packed == 0)
            {
                missed++;
                continue;
            }

            if (RecentCallSlot.Status(packed) == OperationStatus.Success)
            {
                call(cell.Recorder, timestamps[n], RecentCallSlot.Elapsed(packed));
            }
        }

        cursor.Head = head;
        if (missed > 0)
        {
            lost(cell.Recorder, missed);
        }

        return since;
    }

    private sealed class Cursor
    {
        public int Head;
        public int Look;
    }
}
