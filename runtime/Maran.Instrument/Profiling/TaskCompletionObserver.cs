using Maran.Instrument.Diagnostics;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Profiling;

/// <summary>
/// Ends a scope when a task that was still running at return completes. The task itself is handed back to the
/// caller untouched (same object, same exceptions); this only adds a continuation to it.
/// </summary>
internal class TaskCompletionObserver
{
    private static readonly Action<Task, object?> s_onCompleted = static (_, state) => ((TaskCompletionObserver)state!).OnCompleted();

    private readonly Task _task;
    private readonly OperationScope _scope;

    private protected TaskCompletionObserver(Task task, OperationScope scope)
    {
        _task = task;
        _scope = scope;
    }

    internal static void Attach(Task task, OperationScope scope) => Observe(new TaskCompletionObserver(task, scope));

    /// <summary>Also reads the token usage of the task's result once it has succeeded.</summary>
    internal static void Attach<T>(Task<T> task, OperationScope scope, TokenUsageReader<T> reader) =>
        Observe(new UsageObserver<T>(task, scope, reader));

    private protected virtual void Succeeded(OperationRecorder recorder, OperationFrame? frame)
    {
    }

    // A synchronous ContinueWith, not an awaiter: when a task completes, .NET queues every await continuation but
    // the first to the thread pool before running the rest inline, so the caller's await could rethrow (and grow
    // the exception's stack) while this observer reads it. A synchronous continuation registered first runs before
    // any await continuation registered after it. It costs about 50 bytes more than an awaiter, only for calls still
    // running at return.
    private static void Observe(TaskCompletionObserver observer)
    {
        try
        {
            observer._task.ContinueWith(
                s_onCompleted, observer, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("task tracking", ex);
        }
    }

    private void OnCompleted()
    {
        try
        {
            // Usage first, while the call's span is still open to take it.
            if (_task.IsCompletedSuccessfully && _scope.Recorder is { } recorder)
            {
                Succeeded(recorder, _scope.Frame);
            }

            _scope.EndFromTask(_task, onOwnerThread: false);
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("task tracking", ex);
        }
    }

    private sealed class UsageObserver<T>(Task<T> task, OperationScope scope, TokenUsageReader<T> reader) : TaskCompletionObserver(task, scope)
    {
        private protected override void Succeeded(OperationRecorder recorder, OperationFrame? frame)
        {
            if (OperationEvents.HasUsageListeners)
            {
                OperationScope.RecordUsage(recorder, task.Result, reader, frame);
            }
        }
    }
}
