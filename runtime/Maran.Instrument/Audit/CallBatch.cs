using Maran.Instrument.Profiling;

namespace Maran.Instrument.Audit;

/// <summary>
/// One full ring's successful calls as the calling thread copied them (raw slots, oldest first), queued to the audit
/// loop as one item, which builds their records and gives the batch back to <see cref="CallBatchPool"/>.
/// </summary>
internal sealed class CallBatch
{
    /// <summary>The copied slots; the first <see cref="Count"/> are the calls.</summary>
    internal readonly RecentCallSlot[] Slots = new RecentCallSlot[RecorderCell.RingSize];

    /// <summary>The operation whose ring the calls came from.</summary>
    internal OperationRecorder? Recorder;

    /// <summary>The calls in <see cref="Slots"/>.</summary>
    internal int Count;

    /// <summary>The calls, oldest first.</summary>
    internal ReadOnlySpan<RecentCallSlot> Calls => Slots.AsSpan(0, Count);
}
