namespace Maran.Instrument.Profiling;

/// <summary>
/// A call started with <see cref="PerformanceProfiler.StartOperation"/>; hand it to
/// <see cref="PerformanceProfiler.EndOperation"/> once, on the same thread. A struct: starting and ending allocate nothing.
/// </summary>
public readonly struct OperationToken
{
    internal OperationToken(OperationScope scope) => Scope = scope;

    internal OperationScope Scope { get; }

    /// <summary>The operation this call belongs to, or null for a default token.</summary>
    public OperationRecorder? Operation => Scope.Recorder;
}

/// <summary>
/// A call timed by a <c>using</c> block, for code that cannot carry an attribute:
/// <c>using var op = profiler.Operation("retrieve", "rag");</c>. Disposing ends it as a success unless
/// <see cref="Fail"/> or <see cref="Cancel"/> ended it first.
/// </summary>
public sealed class OperationHandle : IDisposable
{
    private readonly OperationScope _scope;
    private int _ended;

    internal OperationHandle(OperationScope scope) => _scope = scope;

    /// <summary>Ends the call as failed with <paramref name="exception"/> (or cancelled, for an <see cref="OperationCanceledException"/>).</summary>
    public void Fail(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _scope.EndOnAnyThread(OperationScope.Classify(exception), exception);
            _scope.Detach();
        }
    }

    /// <summary>Ends the call as cancelled.</summary>
    public void Cancel()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _scope.EndOnAnyThread(OperationStatus.Cancelled, null);
            _scope.Detach();
        }
    }

    /// <summary>Ends the call as a success, unless it has already ended.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _scope.EndOnAnyThread(OperationStatus.Success, null);
            _scope.Detach();
        }
    }
}
