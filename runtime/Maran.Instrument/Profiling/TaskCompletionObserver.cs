using System.Runtime.CompilerServices;

namespace Maran.Instrument;

/// <summary>
/// Ends a scope when a task that was still running at return completes. The task itself is handed back to the
/// caller untouched (same object, same exceptions); this only adds a continuation to it.
/// </summary>
internal sealed class TaskCompletionObserver
{
    private readonly Task _task;
    private readonly OperationScope _scope;

    private TaskCompletionObserver(Task task, OperationScope scope)
    {
        _task = task;
        _scope = scope;
    }

    internal static void Attach(Task task, OperationScope scope)
    {
        try
        {
            var observer = new TaskCompletionObserver(task, scope);
            ConfiguredTaskAwaitable.ConfiguredTaskAwaiter awaiter = task.ConfigureAwait(false).GetAwaiter();
            awaiter.UnsafeOnCompleted(observer.OnCompleted);
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
            _scope.EndFromTask(_task, onOwnerThread: false);
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("task tracking", ex);
        }
    }
}
