using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Profiling;

/// <summary>
/// Wraps the stream a monitored method returned: the call ends when the enumerator is disposed (or the stream
/// fails), and the time to the first item and the number of items are recorded. Like a compiler-generated async
/// iterator, the first enumeration reuses this object as its enumerator, and a pending
/// <see cref="MoveNextAsync"/> completes through this object as its own <see cref="IValueTaskSource{TResult}"/>, so
/// items cost no allocation. Later enumerations of the same object run unmonitored. With a usage reader, each
/// item's token usage is added up and handed to the cost tracker when the stream ends.
/// </summary>
internal sealed class MonitoredAsyncEnumerable<T> : IAsyncEnumerable<T>, IAsyncEnumerator<T>, IValueTaskSource<bool>
{
    private const int Created = 0;
    private const int Enumerating = 1;
    private const int Ended = 2;

    // The enumerator type last found to be a C# async iterator: most streams of one element type come from one.
    private static Type? s_asyncIterator;

    private readonly IAsyncEnumerable<T> _source;
    private readonly OperationScope _scope;
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private readonly TokenUsageReader<T>? _usageReader;
    private IAsyncEnumerator<T>? _inner;
    private StreamUsage _usage;
    private bool _innerFailsOnlyThroughTask;
    private int _state;
    private long _items;
    private long _firstItemTicks = -1;
    private readonly GenAIOperationInfo? _chunkTimes;
    private long _lastItemTimestamp;
    private ManualResetValueTaskSourceCore<bool> _pending;
    private ConfiguredValueTaskAwaitable<bool>.ConfiguredValueTaskAwaiter _pendingAwaiter;
    private Action? _onPendingCompleted;

    internal MonitoredAsyncEnumerable(IAsyncEnumerable<T> source, OperationScope scope, TokenUsageReader<T>? usageReader = null)
    {
        _source = source;
        _scope = scope;
        _usageReader = usageReader;
        _chunkTimes = scope.Frame?.MeasuredGenAI is { Kind: OperationKind.ModelCall } genAI && GenAITelemetry.ChunksEnabled ? genAI : null;
    }

    public T Current => _inner!.Current;

    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, Enumerating, Created) != Created)
        {
            return _source.GetAsyncEnumerator(cancellationToken);
        }

        try
        {
            _inner = _source.GetAsyncEnumerator(cancellationToken);
            _innerFailsOnlyThroughTask = IsAsyncIterator(_inner);
        }
        catch (Exception ex) when (Fail(ex))
        {
            throw;
        }

        return this;
    }

    public ValueTask<bool> MoveNextAsync() =>
        _scope.Frame is { ResumesInStreams: true } frame ? MoveNextInCall(frame) : MoveNextCore();

    // A model call or agent run that streams does its work while its items are read, after the interceptor has given
    // the caller its ambient call back: each read makes the call ambient again, so the tools and model calls it makes
    // then are its children.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ValueTask<bool> MoveNextInCall(OperationFrame frame)
    {
        OperationFrame? previous = frame.Resume();
        try
        {
            return MoveNextCore();
        }
        finally
        {
            OperationFrame.Suspend(previous);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ValueTask<bool> MoveNextCore()
    {
        ValueTask<bool> next = _innerFailsOnlyThroughTask ? _inner!.MoveNextAsync() : GuardedMoveNext();
        if (!next.IsCompletedSuccessfully)
        {
            return AwaitPending(next);
        }

        bool hasItem = next.Result;
        OnMoved(hasItem);
        return new ValueTask<bool>(hasItem);
    }

    /// <summary>
    /// Whether <paramref name="enumerator"/> is a compiler-generated async iterator. Its <c>MoveNextAsync</c> never
    /// throws: whatever the iterator body throws faults the returned task, and is recorded when that is read.
    /// </summary>
    private static bool IsAsyncIterator(IAsyncEnumerator<T> enumerator)
    {
        if (enumerator is not IAsyncStateMachine)
        {
            return false;
        }

        Type type = enumerator.GetType();
        if (type == Volatile.Read(ref s_asyncIterator))
        {
            return true;
        }

        if (!type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false))
        {
            return false;
        }

        Volatile.Write(ref s_asyncIterator, type);
        return true;
    }

    public ValueTask DisposeAsync()
    {
        IAsyncEnumerator<T>? inner = _inner;
        if (inner is null)
        {
            Finish();
            return default;
        }

        ValueTask disposing;
        try
        {
            disposing = inner.DisposeAsync();
        }
        catch (Exception ex) when (Fail(ex))
        {
            throw;
        }

        if (disposing.IsCompletedSuccessfully)
        {
            Finish();
            return default;
        }

        return DisposeSlow(disposing);
    }

    private async ValueTask DisposeSlow(ValueTask disposing)
    {
        try
        {
            await disposing.ConfigureAwait(false);
        }
        catch (Exception ex) when (Fail(ex))
        {
            throw;
        }

        Finish();
    }

    // An enumerator that may throw from MoveNextAsync itself: the exception is recorded as it passes. Out of
    // MoveNextAsync, whose exception handling would otherwise keep it from being inlined into the caller's loop.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ValueTask<bool> GuardedMoveNext()
    {
        try
        {
            return _inner!.MoveNextAsync();
        }
        catch (Exception ex) when (Fail(ex))
        {
            throw;
        }
    }

    // Kept out of MoveNextAsync so that the path of an item that is already there stays small enough to inline.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ValueTask<bool> AwaitPending(ValueTask<bool> next)
    {
        _pendingAwaiter = next.ConfigureAwait(false).GetAwaiter();
        _pending.Reset();
        _pendingAwaiter.UnsafeOnCompleted(_onPendingCompleted ??= OnPendingCompleted);
        return new ValueTask<bool>(this, _pending.Version);
    }

    private void OnPendingCompleted()
    {
        bool hasItem;
        try
        {
            hasItem = _pendingAwaiter.GetResult();
        }
        catch (Exception ex)
        {
            Fail(ex);
            _pending.SetException(ex);
            return;
        }

        OnMoved(hasItem);

        _pending.SetResult(hasItem);
    }

    // Counts an item; the first one, and any with token usage to read, take the slower path.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void OnMoved(bool hasItem)
    {
        if (hasItem && (++_items == 1 || _usageReader is not null || _chunkTimes is not null))
        {
            OnItem();
        }
    }

    // The first item's time, each item's token usage when a reader is there and, for a model call a GenAI histogram
    // listens to, the time to each chunk: off the path of other items.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnItem()
    {
        if (_items == 1)
        {
            _firstItemTicks = Stopwatch.GetTimestamp() - _startTimestamp;
        }

        if (_chunkTimes is not null)
        {
            RecordChunkTime(_chunkTimes);
        }

        if (_usageReader is not null && OperationEvents.HasUsageListeners)
        {
            _usage.Read(_usageReader, _inner!.Current);
        }
    }

    private void RecordChunkTime(GenAIOperationInfo genAI)
    {
        try
        {
            long now = Stopwatch.GetTimestamp();
            if (_items == 1)
            {
                GenAITelemetry.RecordFirstChunk(genAI, _scope.Frame?.RequestModel, now - _startTimestamp);
            }
            else
            {
                GenAITelemetry.RecordChunk(genAI, _scope.Frame?.RequestModel, now - _lastItemTimestamp);
            }

            _lastItemTimestamp = now;
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("stream chunk time", ex);
        }
    }

    private void ReportUsage(bool failed = false) => _usage.Report(_scope, _usageReader is not null, failed);

    private bool Fail(Exception exception)
    {
        if (Interlocked.Exchange(ref _state, Ended) != Ended)
        {
            _scope.Recorder?.RecordStream(_items, _firstItemTicks);
            ReportUsage(failed: true);
            _scope.EndOnAnyThread(OperationScope.Classify(exception), exception);
        }

        return false;
    }

    private void Finish()
    {
        if (Interlocked.Exchange(ref _state, Ended) != Ended)
        {
            _scope.Recorder?.RecordStream(_items, _firstItemTicks);
            ReportUsage();
            _scope.EndOnAnyThread(OperationStatus.Success, null);
        }
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _pending.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _pending.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _pending.OnCompleted(continuation, state, token, flags);
}
