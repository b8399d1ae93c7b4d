using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Interop;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Profiling;

/// <summary>
/// One monitored call in flight: a struct the generated interceptor starts before the call and ends after it.
/// Two clock reads and a few plain increments on the calling thread's own cell; no lock, no allocation, no I/O.
/// </summary>
/// <remarks>
/// The generated code uses it in one shape:
/// <code>
/// var scope = OperationScope.Start(recorder);
/// try { var result = target(...); scope.Complete(); return result; }
/// catch (Exception e) when (scope.Fail(e)) { throw; }
/// finally { scope.Detach(); }
/// </code>
/// <see cref="Fail"/> is an exception filter that records and returns false, so the exception is never caught:
/// it leaves with its own type and stack trace. Async results go through the <c>Track</c> overloads, which time
/// the call at completion and add nothing when the task has already completed.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public readonly struct OperationScope
{
    private const long NotMeasured = -1;

    // The least time between two thread CPU time samples of one operation on one thread: 2 ms.
    private static readonly long CpuSampleSpacing = Stopwatch.Frequency / 500;

    private readonly RecorderCell? _cell;
    private readonly long _start;
    private readonly long _allocationStart;
    private readonly OperationFrame? _frame;

    private OperationScope(RecorderCell cell, long start, long allocationStart, OperationFrame? frame)
    {
        _cell = cell;
        _start = start;
        _allocationStart = allocationStart;
        _frame = frame;
    }

    /// <summary>Whether this call's duration is being measured (false for calls sampling leaves out).</summary>
    public bool IsTimed => _start != 0;

    /// <summary>Starts one call of <paramref name="recorder"/>'s operation on the calling thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static OperationScope Start(OperationRecorder recorder)
    {
        if (!MonitoringRuntime.Enabled)
        {
            return default;
        }

        RecorderCell cell = recorder.ThreadCell;
        cell.Started++;
        if (--cell.SampleCountdown > 0)
        {
            return new OperationScope(cell, 0, NotMeasured, null);
        }

        return StartTimed(cell, ambient: false);
    }

    /// <summary>
    /// Starts one call of an operation that reaches model calls through the methods it calls (the generator found them):
    /// always timed, and the ambient operation of the calls inside it, so their tokens and cost belong to it whether or
    /// not call trees are on. Costs the frame and its <see cref="AsyncLocal{T}"/> write that call trees cost.
    /// </summary>
    /// <param name="recorder">The operation's recorder.</param>
    public static OperationScope StartAmbient(OperationRecorder recorder)
    {
        if (!MonitoringRuntime.Enabled)
        {
            return default;
        }

        RecorderCell cell = recorder.ThreadCell;
        cell.Started++;
        return StartTimed(cell, ambient: true);
    }

    /// <summary>
    /// Starts one model, tool or agent call of <paramref name="recorder"/>: always timed, and the ambient parent of the
    /// calls made inside it. Its tokens and cost belong to <paramref name="parent"/>, the monitored operation the
    /// generator saw around the call site, or else to the innermost one running (when call trees are on). A model client
    /// <see cref="ModelClients.Resolve"/> described just before, on this thread, gives the call its request model and
    /// says whether its own pipeline reports it to OpenTelemetry.
    /// </summary>
    /// <param name="recorder">The call's recorder, from <see cref="OperationRegistry.GetOrAddCall"/>.</param>
    /// <param name="parent">The monitored operation around the call site, or null when the generator saw none.</param>
    public static OperationScope StartCall(OperationRecorder recorder, OperationRecorder? parent)
    {
        ModelClient client = ModelClients.TakeStarting();
        if (!MonitoringRuntime.Enabled)
        {
            return default;
        }

        RecorderCell cell = recorder.ThreadCell;
        cell.Started++;
        OperationFrame? frame = OperationFrame.EnterCall(recorder, parent, client);
        return new OperationScope(cell, Stopwatch.GetTimestamp(), NotMeasured, frame);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static OperationScope StartTimed(RecorderCell cell, bool ambient)
    {
        cell.SampleCountdown = MonitoringRuntime.SampleInterval;
        long allocationStart = NotMeasured;
        if (--cell.AllocationCountdown == 0)
        {
            allocationStart = BeginAllocationSample(cell);
        }

        OperationFrame? frame = ambient || OperationFrame.Wanted ? OperationFrame.Enter(cell.Recorder, ambient) : null;
        return new OperationScope(cell, Stopwatch.GetTimestamp(), allocationStart, frame);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long BeginAllocationSample(RecorderCell cell)
    {
        int interval = MonitoringRuntime.AllocationSampleInterval;
        cell.AllocationCountdown = interval > 0 ? interval : int.MaxValue;
        if (interval <= 0)
        {
            return NotMeasured;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread();
        if (MonitoringRuntime.CpuTimeSampleInterval > 0 && --cell.CpuCountdown <= 0)
        {
            BeginCpuSample(cell, allocated);
        }

        return allocated;
    }

    // Thread CPU time rides on the allocation sample: no instruction is added to the calls that are not sampled.
    // Its two reads are system calls (about 1 µs each on Linux), so a thread samples an operation at most once per
    // CpuSampleSpacing: on a call of a few nanoseconds, 1 in 1,024 timed calls would still cost it ~2 ns a call.
    private static void BeginCpuSample(RecorderCell cell, long owner)
    {
        cell.CpuCountdown = MonitoringRuntime.CpuTimeSampleInterval;
        long now = Stopwatch.GetTimestamp();
        if (LibC.HasThreadCpuTime && now - cell.CpuSampledAt >= CpuSampleSpacing)
        {
            cell.CpuSampledAt = now;
            cell.CpuStartOwner = owner;
            cell.CpuStart = LibC.ThreadCpuNanoseconds();
        }
    }

    /// <summary>Ends a call that returned normally, on the thread that started it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Complete()
    {
        RecorderCell? cell = _cell;
        if (cell is null)
        {
            return;
        }

        if (_start == 0)
        {
            cell.Succeeded++;
            return;
        }

        long elapsed = Stopwatch.GetTimestamp() - _start;
        cell.Succeeded++;
        cell.RecordTimed(_start, elapsed, OperationStatus.Success);
        if (_allocationStart != NotMeasured || _frame is not null)
        {
            CompleteRare(cell, elapsed);
        }
    }

    /// <summary>
    /// Ends a call that returned <paramref name="result"/> normally and hands the token usage
    /// <paramref name="reader"/> finds in it to the exporters (on the call's span, before it ends) and to the cost
    /// tracker. The generator passes a static reader for usage-bearing return types only; the read is skipped when
    /// no tracker listens.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Complete<T>(T result, TokenUsageReader<T> reader)
    {
        if (_cell is { } cell && OperationEvents.HasUsageListeners)
        {
            TokenUsage usage = ReadUsage(cell.Recorder, result, reader, _frame);
            Complete();
            OperationEvents.Usage(cell.Recorder, usage, _frame);
            return;
        }

        Complete();
    }

    /// <summary>
    /// Reads the token usage of a response the call received inside the API it called, which that API does not return (the
    /// embedding extension methods of Microsoft.Extensions.AI return the vector and drop the usage): the generated code
    /// sees it on its way, through the client the API calls, and hands it over here before the call ends. It counts as
    /// the call's own usage; the read is skipped when no tracker listens.
    /// </summary>
    /// <param name="result">The response the API received.</param>
    /// <param name="reader">Reads its usage (generated, by the SDK's own types).</param>
    public void ReportUsage<T>(T result, TokenUsageReader<T> reader)
    {
        if (_cell is { } cell && OperationEvents.HasUsageListeners)
        {
            RecordUsage(cell.Recorder, result, reader, _frame);
        }
    }

    /// <summary>Reads, publishes and dispatches the usage of one result; call it before the scope ends, so the span still takes tags.</summary>
    internal static void RecordUsage<T>(OperationRecorder recorder, T result, TokenUsageReader<T> reader, OperationFrame? frame)
    {
        TokenUsage usage = ReadUsage(recorder, result, reader, frame);
        OperationEvents.Usage(recorder, usage, frame);
    }

    /// <summary>
    /// Reads the usage of one result and puts reported counts on the span and the exporters' tallies
    /// (<see cref="UsageTelemetry"/>); a failing reader is counted, never thrown. A call nested directly in another
    /// model call or agent run reads nothing: the outer call reports the same tokens.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static TokenUsage ReadUsage<T>(OperationRecorder recorder, T result, TokenUsageReader<T> reader, OperationFrame? frame)
    {
        if (frame is { CountsUsage: false, InAgentRun: false })
        {
            return default;
        }

        try
        {
            if (frame is { CountsUsage: false })
            {
                // Shown on the call's step of its agent run, counted where the outer call reports it.
                frame.NoteUsage(reader(result, false));
                return default;
            }

            TokenUsage usage = OperationEvents.OwnedBy(reader(result, OperationEvents.UsageTextWanted), recorder, frame);
            frame?.NoteUsage(usage);
            PublishUsage(recorder, usage, frame);
            return usage;
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("token usage", ex);
            return default;
        }
    }

    /// <summary>
    /// Hands reported counts to the exporters: <c>tokens_total</c>, the GenAI histogram and the span's <c>gen_ai.usage.*</c>.
    /// A response the application's cache served used no provider tokens: the cost tracker counts it as a cache hit.
    /// </summary>
    internal static void PublishUsage(OperationRecorder recorder, in TokenUsage usage, OperationFrame? frame)
    {
        if (usage.IsReported && !usage.IsCacheHit)
        {
            frame?.NoteResponseModel(usage.Model);
            UsageTelemetry.Record(recorder, usage, frame?.Activity, frame?.RequestModel, frame is { ReportedByPipeline: true });
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CompleteRare(RecorderCell cell, long elapsed)
    {
        if (_allocationStart != NotMeasured)
        {
            cell.AllocationSamples++;
            cell.AllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - _allocationStart;
            if (cell.CpuStart >= 0 && cell.CpuStartOwner == _allocationStart)
            {
                long cpu = LibC.ThreadCpuNanoseconds() - cell.CpuStart - LibC.ThreadCpuReadCost;
                cell.CpuStart = -1;
                cell.CpuSamples++;
                cell.CpuNanoseconds += Math.Max(0, cpu);
            }
        }

        _frame?.End(OperationStatus.Success, null, elapsed, stopSpan: true);
    }

    /// <summary>
    /// Records that the call threw <paramref name="exception"/>: as cancelled for an
    /// <see cref="OperationCanceledException"/>, else as an error. Meant as an exception filter: always returns
    /// false, so the exception propagates untouched.
    /// </summary>
    public bool Fail(Exception exception)
    {
        if (_cell is { } cell)
        {
            End(cell, Classify(exception), exception, stopSpan: false, propagating: true);
        }

        return false;
    }

    /// <summary>
    /// Puts an agent run in the conversation of <paramref name="session"/>, the Agent Framework session it was given:
    /// every run made with one session object belongs to one conversation (<c>gen_ai.conversation.id</c>), whose
    /// tokens and cost the dashboard sums. A null session (the agent makes a new one) leaves the run in none.
    /// </summary>
    public void InSession(object? session)
    {
        if (session is not null && _frame is { } frame)
        {
            try
            {
                frame.JoinConversation(AgentRuns.ConversationOf(session));
            }
            catch (Exception ex)
            {
                MonitoringDiagnostics.InternalError("agent run", ex);
            }
        }
    }

    /// <summary>
    /// Puts a model call in the conversation its request names (Microsoft.Extensions.AI's <c>ChatOptions.ConversationId</c>):
    /// the call's span carries it as <c>gen_ai.conversation.id</c>. Null or empty leaves the call in none.
    /// </summary>
    public void InConversation(string? conversationId)
    {
        if (conversationId is { Length: > 0 } id && _frame is { } frame)
        {
            frame.JoinConversation(id);
        }
    }

    /// <summary>
    /// Called as control leaves the interceptor (a <c>finally</c>): gives the caller back its ambient operation
    /// and span. Does nothing unless call trees or tracing are on.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Detach() => _frame?.Detach();

    /// <summary>Times a <see cref="Task"/> at completion; returns the same task. Nothing is added if it has completed.</summary>
    public Task Track(Task task)
    {
        if (_cell is null || task is null)
        {
            return task!;
        }

        if (task.IsCompleted)
        {
            EndFromTask(task, onOwnerThread: true);
        }
        else
        {
            TaskCompletionObserver.Attach(task, this);
        }

        return task;
    }

    /// <summary>Times a <see cref="Task{TResult}"/> at completion; returns the same task. Nothing is added if it has completed.</summary>
    public Task<T> Track<T>(Task<T> task)
    {
        Track((Task)task);
        return task;
    }

    /// <summary>Times a <see cref="Task{TResult}"/> at completion and reads its result's token usage with <paramref name="reader"/>; returns the same task.</summary>
    public Task<T> Track<T>(Task<T> task, TokenUsageReader<T> reader)
    {
        if (_cell is not { } cell || task is null)
        {
            return task!;
        }

        if (task.IsCompleted)
        {
            if (task.IsCompletedSuccessfully && OperationEvents.HasUsageListeners)
            {
                RecordUsage(cell.Recorder, task.Result, reader, _frame);
            }

            EndFromTask(task, onOwnerThread: true);
        }
        else
        {
            TaskCompletionObserver.Attach(task, this, reader);
        }

        return task;
    }

    /// <summary>Times a <see cref="ValueTask"/> at completion. Returns it unchanged, with no allocation, if it has completed successfully.</summary>
    public ValueTask Track(ValueTask task)
    {
        if (_cell is null)
        {
            return task;
        }

        if (task.IsCompletedSuccessfully)
        {
            Complete();
            return task;
        }

        return AwaitValueTask(task, this);
    }

    /// <summary>Times a <see cref="ValueTask{TResult}"/> at completion. Returns it unchanged, with no allocation, if it has completed successfully.</summary>
    public ValueTask<T> Track<T>(ValueTask<T> task)
    {
        if (_cell is null)
        {
            return task;
        }

        if (task.IsCompletedSuccessfully)
        {
            Complete();
            return task;
        }

        return AwaitValueTask(task, this);
    }

    /// <summary>
    /// Times a <see cref="ValueTask{TResult}"/> at completion and reads its result's token usage with <paramref name="reader"/>.
    /// A result that is already there is handed back as a plain value, with no allocation (its source is read once).
    /// </summary>
    public ValueTask<T> Track<T>(ValueTask<T> task, TokenUsageReader<T> reader)
    {
        if (_cell is null)
        {
            return task;
        }

        if (task.IsCompletedSuccessfully)
        {
            T result = task.Result;
            Complete(result, reader);
            return new ValueTask<T>(result);
        }

        return AwaitValueTask(task, this, reader);
    }

    /// <summary>
    /// Times a stream: the call ends when its enumerator is disposed; the time to the first item and the number
    /// of items are recorded too.
    /// </summary>
    public IAsyncEnumerable<T> Track<T>(IAsyncEnumerable<T> stream)
    {
        if (_cell is null || stream is null)
        {
            return stream!;
        }

        return new MonitoredAsyncEnumerable<T>(stream, this);
    }

    /// <summary>Times a stream as <see cref="Track{T}(IAsyncEnumerable{T})"/> does, adding up the token usage <paramref name="reader"/> finds in its items.</summary>
    public IAsyncEnumerable<T> Track<T>(IAsyncEnumerable<T> stream, TokenUsageReader<T> reader)
    {
        if (_cell is null || stream is null)
        {
            return stream!;
        }

        return new MonitoredAsyncEnumerable<T>(stream, this, reader);
    }

    /// <summary>
    /// Times a lazy synchronous stream (the OpenAI SDK's <c>CompleteChatStreaming</c>): the call ends when its enumerator
    /// is disposed; the time to the first item and the number of items are recorded too.
    /// </summary>
    public IEnumerable<T> TrackItems<T>(IEnumerable<T> stream)
    {
        if (_cell is null || stream is null)
        {
            return stream!;
        }

        return new MonitoredEnumerable<T>(stream, this);
    }

    /// <summary>Times a stream as <see cref="TrackItems{T}(IEnumerable{T})"/> does, adding up the token usage <paramref name="reader"/> finds in its items.</summary>
    public IEnumerable<T> TrackItems<T>(IEnumerable<T> stream, TokenUsageReader<T> reader)
    {
        if (_cell is null || stream is null)
        {
            return stream!;
        }

        return new MonitoredEnumerable<T>(stream, this, reader);
    }

    /// <summary>Ends the call on whatever thread runs this (an async continuation): the thread writes its own cell.</summary>
    internal void EndOnAnyThread(OperationStatus status, Exception? exception)
    {
        if (_cell is { } owner)
        {
            End(owner.Recorder.ThreadCell, status, exception, stopSpan: true);
        }
    }

    /// <summary>Stopwatch ticks since the call started, or -1 when it is not timed.</summary>
    internal long ElapsedTicks() => _start == 0 ? -1 : Stopwatch.GetTimestamp() - _start;

    internal OperationRecorder? Recorder => _cell?.Recorder;

    /// <summary>The call's span, when tracing.</summary>
    internal Activity? Span => _frame?.Activity;

    /// <summary>The call's ambient frame: its span and, for model, tool and agent calls, the operation its tokens belong to.</summary>
    internal OperationFrame? Frame => _frame;

    /// <summary>
    /// Cancellation is not an error, but a timeout is: HttpClient reports its timeout as a
    /// <see cref="TaskCanceledException"/> wrapping a <see cref="TimeoutException"/>, and that counts as an error.
    /// </summary>
    internal static OperationStatus Classify(Exception? exception) =>
        exception is OperationCanceledException { InnerException: not TimeoutException } ? OperationStatus.Cancelled : OperationStatus.Error;

    internal void EndFromTask(Task task, bool onOwnerThread)
    {
        RecorderCell cell = onOwnerThread ? _cell! : _cell!.Recorder.ThreadCell;
        switch (task.Status)
        {
            case TaskStatus.RanToCompletion:
                if (onOwnerThread)
                {
                    Complete();
                }
                else
                {
                    End(cell, OperationStatus.Success, null, stopSpan: true);
                }

                break;
            case TaskStatus.Canceled:
                OperationCanceledException? cancellation = CancellationOf(task);
                End(cell, Classify(cancellation), cancellation, stopSpan: true);
                break;
            default:
                Exception? exception = task.Exception?.InnerExceptions.Count == 1 ? task.Exception.InnerException : task.Exception;
                End(cell, Classify(exception), exception, stopSpan: true);
                break;
        }
    }

    // An async method that throws OperationCanceledException ends Canceled, and the exception is only reachable by
    // awaiting it; it tells a real cancellation from a client timeout (which wraps a TimeoutException and is an error).
    // Only cancelled tasks pay for this throw.
    private static OperationCanceledException? CancellationOf(Task task)
    {
        try
        {
            task.GetAwaiter().GetResult();
            return null;
        }
        catch (OperationCanceledException ex)
        {
            return ex;
        }
    }

    private void End(RecorderCell cell, OperationStatus status, Exception? exception, bool stopSpan, bool propagating = false)
    {
        long elapsed = -1;
        switch (status)
        {
            case OperationStatus.Success:
                cell.Succeeded++;
                break;
            case OperationStatus.Cancelled:
                cell.Cancelled++;
                break;
            default:
                cell.Failed++;
                break;
        }

        if (_start != 0)
        {
            elapsed = Stopwatch.GetTimestamp() - _start;
            cell.RecordTimed(_start, elapsed, status);
        }

        if (status != OperationStatus.Success)
        {
            RecordFailure(cell.Recorder, status, exception, elapsed, propagating);
        }

        _frame?.End(status, exception, elapsed, stopSpan);
    }

    // One failure is one error: the innermost monitored call records it; each enclosing one counts its own failed
    // call and tells the listeners it is a failure already recorded (see RecordedFailures). Only counts happen here:
    // the listeners hand the exception to their workers, which read, categorize and format it.
    private void RecordFailure(OperationRecorder recorder, OperationStatus status, Exception? exception, long elapsed, bool propagating)
    {
        try
        {
            if (elapsed >= 0)
            {
                recorder.RecordFailureBucket(status, elapsed);
            }

            bool raisedHere = exception is null || RecordedFailures.TryRecord(exception, _start);
            if (status == OperationStatus.Error)
            {
                recorder.CountErrorType(exception?.GetType().FullName ?? "unknown", raisedHere);
            }

            OperationEvents.Failed(new OperationFailure(recorder, exception, status, elapsed, _frame?.Activity ?? Activity.Current, !raisedHere, propagating));
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("failure recording", ex);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask AwaitValueTask(ValueTask task, OperationScope scope)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (scope.FailOnAnyThread(ex))
        {
            throw;
        }

        scope.EndOnAnyThread(OperationStatus.Success, null);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<T> AwaitValueTask<T>(ValueTask<T> task, OperationScope scope)
    {
        T result;
        try
        {
            result = await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (scope.FailOnAnyThread(ex))
        {
            throw;
        }

        scope.EndOnAnyThread(OperationStatus.Success, null);
        return result;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<T> AwaitValueTask<T>(ValueTask<T> task, OperationScope scope, TokenUsageReader<T> reader)
    {
        T result;
        try
        {
            result = await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (scope.FailOnAnyThread(ex))
        {
            throw;
        }

        if (OperationEvents.HasUsageListeners && scope.Recorder is { } recorder)
        {
            RecordUsage(recorder, result, reader, scope.Frame);
        }

        scope.EndOnAnyThread(OperationStatus.Success, null);
        return result;
    }

    internal bool FailOnAnyThread(Exception exception)
    {
        EndOnAnyThread(Classify(exception), exception);
        return false;
    }
}
