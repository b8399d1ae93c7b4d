using System.Collections.Concurrent;

namespace Maran.Instrument.Audit;

/// <summary>
/// The batches the calling threads fill and the audit loop empties: a batch is made only while fewer than the limit
/// exist, then reused, so a hand-off allocates nothing once the pool is warm, and the calls waiting in batches never
/// outnumber <c>production.security.audit_queue_capacity</c>.
/// </summary>
internal sealed class CallBatchPool(int limit)
{
    private readonly ConcurrentQueue<CallBatch> _free = new();
    private readonly int _limit = Math.Max(1, limit);
    private int _made;

    /// <summary>A free batch, or null when every batch the limit allows is waiting for the loop.</summary>
    internal CallBatch? Rent()
    {
        if (_free.TryDequeue(out CallBatch? batch))
        {
            return batch;
        }

        if (Interlocked.Increment(ref _made) > _limit)
        {
            Interlocked.Decrement(ref _made);
            return null;
        }

        return new CallBatch();
    }

    /// <summary>Gives a batch back once its calls are written (or refused).</summary>
    internal void Return(CallBatch batch)
    {
        batch.Recorder = null;
        batch.Count = 0;
        _free.Enqueue(batch);
    }
}
