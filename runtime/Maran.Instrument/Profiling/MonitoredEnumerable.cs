using System.Collections;
using System.Diagnostics;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Profiling;

/// <summary>
/// The synchronous form of <see cref="MonitoredAsyncEnumerable{T}"/>, for lazy synchronous streams (the OpenAI SDK's
/// <c>CompleteChatStreaming</c>): the call ends when the first enumerator is disposed or fails, with the time to the
/// first item, the number of items and, with a usage reader, the token usage its items carry. The first enumeration
/// reuses this object as its enumerator; later enumerations of the same object run unmonitored.
/// </summary>
internal sealed class MonitoredEnumerable<T> : IEnumerable<T>, IEnumerator<T>
{
    private const int Created = 0;
    private const int Enumerating = 1;
    private const int Ended = 2;

    private readonly IEnumerable<T> _source;
    private readonly OperationScope _scope;
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private readonly TokenUsageReader<T>? _usageReader;
    private IEnumerator<T>? _inner;
    private StreamUsage _usage;
    private int _state;
    private long _items;
    private long _firstItemTicks = -1;

    internal MonitoredEnumerable(IEnumerable<T> source, OperationScope scope, TokenUsageReader<T>? usageReader = null)
    {
        _source = source;
        _scope = scope;
        _usageReader = usageReader;
    }

    public T Current => _inner!.Current;

    object? IEnumerator.Current => Current;

    public IEnumerator<T> GetEnumerator()
    {
        if (Interlocked.CompareExchange(ref _state, Enumerating, Created) != Created)
        {
            return _source.GetEnumerator();
        }

        try
        {
            _inner = _source.GetEnumerator();
        }
        catch (Exception ex) when (Fail(ex))
        {
            throw;
        }

        return this;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool MoveNext()
    {
        bool hasItem;
        try
        {
            hasItem = _inner!.MoveNext();
        }
        catch (Exception ex) when (Fail(ex))
        {
            throw;
        }

        if (hasItem && (++_items == 1 || _usageReader is not null))
        {
            OnItem();
        }

        return hasItem;
    }

    public void Reset() => throw new NotSupportedException("A measured stream is read once.");

    public void Dispose()
    {
        try
        {
            _inner?.Dispose();
        }
        catch (Exception ex) when (Fail(ex))
        {
            throw;
        }

        if (Interlocked.Exchange(ref _state, Ended) != Ended)
        {
            _scope.Recorder?.RecordStream(_items, _firstItemTicks);
            ReportUsage(failed: false);
            _scope.EndOnAnyThread(OperationStatus.Success, null);
        }
    }

    private void OnItem()
    {
        if (_items == 1)
        {
            _firstItemTicks = Stopwatch.GetTimestamp() - _startTimestamp;
        }

        if (_usageReader is not null && OperationEvents.HasUsageListeners)
        {
            _usage.Read(_usageReader, _inner!.Current);
        }
    }

    private void ReportUsage(bool failed) => _usage.Report(_scope, _usageReader is not null, failed);

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
}
