using System.Diagnostics;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Profiling;

/// <summary>
/// The ambient state of one monitored call when call trees, tracing or GenAI metrics are on, or when the call is an
/// operation the generator found reaching model calls through other methods: its parent (across
/// <c>await</c>, through an <see cref="AsyncLocal{T}"/>), its span and, for a model call, its GenAI description.
/// Never created otherwise, so the default path allocates nothing.
/// </summary>
internal sealed class OperationFrame
{
    private static readonly AsyncLocal<OperationFrame?> s_current = new();

    private readonly OperationRecorder _recorder;
    private readonly OperationFrame? _parent;
    private readonly Activity? _activity;
    private readonly GenAIOperationInfo? _genAI;
    private readonly bool _pushed;
    private readonly bool _tree;
    private readonly OperationRecorder? _usageOwner;
    private readonly bool _countsUsage;
    private AgentRuns.RunBuilder? _run;
    private int _step = -1;
    private bool _ownsStep;
    private string? _requestModel;
    private string? _responseModel;
    private ExecutionContext? _contextBefore;
    private ExecutionContext? _contextEntered;
    private bool _reportedByPipeline;
    private int _ended;

    private OperationFrame(OperationRecorder recorder, OperationFrame? parent, Activity? activity, GenAIOperationInfo? genAI, bool pushed, bool tree)
    {
        _recorder = recorder;
        _parent = parent;
        _activity = activity;
        _genAI = genAI;
        _pushed = pushed;
        _tree = tree;
        _usageOwner = recorder;
        _countsUsage = true;
    }

    private OperationFrame(OperationRecorder recorder, OperationFrame? parent, Activity? activity, GenAIOperationInfo? genAI, bool tree, OperationRecorder? usageOwner, bool countsUsage)
        : this(recorder, parent, activity, genAI, pushed: true, tree)
    {
        _usageOwner = usageOwner;
        _countsUsage = countsUsage;
    }

    /// <summary>The innermost monitored call running in this async flow, when call trees are on.</summary>
    internal static OperationFrame? Current => s_current.Value;

    /// <summary>The operation of this call.</summary>
    internal OperationRecorder Recorder => _recorder;

    /// <summary>The span of this call, when tracing.</summary>
    internal Activity? Activity => _activity;

    /// <summary>The frame this call runs inside, when known.</summary>
    internal OperationFrame? Parent => _parent;

    /// <summary>
    /// The operation the tokens and cost read in this frame belong to: for an operation its own recorder, for a model,
    /// tool or agent call the innermost operation of the application around it (null when none is known).
    /// </summary>
    internal OperationRecorder? UsageOwner => _usageOwner;

    /// <summary>
    /// Whether the tokens read in this frame are counted: false for a model call or agent run made directly inside
    /// another (a chat client middleware, an agent over a visible chat client), whose outer call reports the same tokens.
    /// </summary>
    internal bool CountsUsage => _countsUsage;

    /// <summary>Whether the call is recorded as a step of an agent run (an agent call, or a call made inside one).</summary>
    internal bool InAgentRun => _ownsStep;

    /// <summary>The model a model call asked for, when its client named it only at run time (its metadata's default model).</summary>
    internal string? RequestModel => _requestModel;

    /// <summary>
    /// Whether the client's own OpenTelemetry pipeline (Microsoft.Extensions.AI's <c>UseOpenTelemetry()</c>) reports this call:
    /// then it has no span and adds nothing to the GenAI histograms.
    /// </summary>
    internal bool ReportedByPipeline => _reportedByPipeline;

    /// <summary>The GenAI description of this call, when a GenAI histogram records it.</summary>
    internal GenAIOperationInfo? MeasuredGenAI => _genAI;

    /// <summary>Whether anything may need a frame: call trees on, tracing on with a listener, or a listener on the GenAI duration histogram.</summary>
    internal static bool Wanted =>
        MonitoringRuntime.CallTreeEnabled || (MonitoringRuntime.TracingEnabled && MaranTelemetry.ActivitySource.HasListeners())
        || GenAITelemetry.DurationEnabled;

    /// <summary>
    /// Enters a call: makes it the ambient operation (when call trees are on, or <paramref name="ambient"/>) and starts its
    /// span. Null when neither is wanted.
    /// </summary>
    internal static OperationFrame? Enter(OperationRecorder recorder, bool ambient = false)
    {
        try
        {
            ExecutionContext? before = ExecutionContext.Capture();
            bool tree = MonitoringRuntime.CallTreeEnabled;
            bool push = tree || ambient;
            Activity? activity = null;
            bool tracing = MonitoringRuntime.TracingEnabled && MaranTelemetry.ActivitySource.HasListeners();
            GenAIOperationInfo? genAI = tracing || GenAITelemetry.DurationEnabled ? GenAITelemetry.For(recorder) : null;
            if (tracing)
            {
                activity = genAI is null
                    ? MaranTelemetry.ActivitySource.StartActivity(recorder.Name, ActivityKind.Internal, default(ActivityContext), recorder.SpanTags)
                    : MaranTelemetry.ActivitySource.StartActivity(genAI.SpanName, ActivityKind.Client, default(ActivityContext), genAI.StartTags(recorder, null));
            }

            GenAIOperationInfo? measured = genAI is not null && GenAITelemetry.DurationEnabled ? genAI : null;
            if (!push && activity is null && measured is null)
            {
                return null;
            }

            var frame = new OperationFrame(recorder, push ? s_current.Value : null, activity, measured, pushed: push, tree);
            if (push)
            {
                frame.InheritRun();
                s_current.Value = frame;
            }

            frame.Entered(before);
            return frame;
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("operation context", ex);
            return null;
        }
    }

    /// <summary>
    /// Enters a model, tool or agent call: always a frame, made the ambient one so the calls inside (the tools a model
    /// asks for, the model calls of an agent run) know their parent. Calls are slow next to the frame's allocation and
    /// its <see cref="AsyncLocal{T}"/> write; monitored operations never come here.
    /// </summary>
    /// <param name="recorder">The call's recorder.</param>
    /// <param name="lexicalParent">The monitored operation the generator saw around the call site, if any.</param>
    /// <param name="client">What the model client the call is made on said of itself, if <see cref="ModelClients.Resolve"/> described one.</param>
    internal static OperationFrame? EnterCall(OperationRecorder recorder, OperationRecorder? lexicalParent, ModelClient client = default)
    {
        try
        {
            ExecutionContext? before = ExecutionContext.Capture();
            OperationFrame? ambient = s_current.Value;
            bool reportedElsewhere = client.ReportedByPipeline;
            bool tracing = !reportedElsewhere && MonitoringRuntime.TracingEnabled && MaranTelemetry.ActivitySource.HasListeners()
                           && GenAITelemetry.InvokerToolSpan(recorder) is null;
            bool metrics = !reportedElsewhere && GenAITelemetry.MetricsEnabled(recorder.Kind);
            GenAIOperationInfo? genAI = tracing || metrics ? GenAITelemetry.For(recorder) : null;
            Activity? activity = null;
            if (tracing)
            {
                activity = MaranTelemetry.ActivitySource.StartActivity(
                    genAI?.SpanNameFor(client.DefaultModel) ?? recorder.Name,
                    genAI?.SpanKind ?? (recorder.Kind == OperationKind.Tool ? ActivityKind.Internal : ActivityKind.Client),
                    default(ActivityContext),
                    genAI?.StartTags(recorder, client.DefaultModel) ?? recorder.SpanTags);
            }

            OperationRecorder? owner = lexicalParent ?? ambient?._usageOwner;
            bool counts = ambient is null || ambient._recorder.Kind is not (OperationKind.ModelCall or OperationKind.Agent);
            GenAIOperationInfo? measured = genAI is not null && metrics ? genAI : null;
            var frame = new OperationFrame(recorder, ambient, activity, measured, MonitoringRuntime.CallTreeEnabled, owner, counts)
            {
                _requestModel = client.DefaultModel,
                _reportedByPipeline = reportedElsewhere,
            };
            frame.BeginStep();
            s_current.Value = frame;
            frame.Entered(before);
            return frame;
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("operation context", ex);
            return null;
        }
    }

    /// <summary>Whether the call's stream makes it ambient again while its items are read: model calls and agent runs.</summary>
    internal bool ResumesInStreams => _pushed && _recorder.Kind is OperationKind.ModelCall or OperationKind.Agent;

    /// <summary>Makes this call the ambient one again (while its stream produces an item); returns the one to put back.</summary>
    internal OperationFrame? Resume()
    {
        OperationFrame? previous = s_current.Value;
        if (!ReferenceEquals(previous, this))
        {
            s_current.Value = this;
        }

        return previous;
    }

    /// <summary>Puts back the ambient call <see cref="Resume"/> replaced.</summary>
    internal static void Suspend(OperationFrame? previous)
    {
        if (!ReferenceEquals(s_current.Value, previous))
        {
            s_current.Value = previous;
        }
    }

    /// <summary>Puts the run an agent call begins in a conversation, and names it on the call's span (<c>gen_ai.conversation.id</c>).</summary>
    internal void JoinConversation(string id)
    {
        if (_ownsStep && _step == 0)
        {
            _run!.JoinConversation(id);
        }

        if (_activity is { IsAllDataRequested: true } activity)
        {
            activity.SetTag("gen_ai.conversation.id", id);
        }
    }

    // The flow's execution context from before the call entered, and the one its entry left (its span and frame made
    // current): Detach puts the first back when the second is still current.
    private void Entered(ExecutionContext? before)
    {
        _contextBefore = before;
        _contextEntered = before is null ? null : ExecutionContext.Capture();
    }

    /// <summary>Notes the model the call's response names (<c>gen_ai.response.model</c> on its duration measurement).</summary>
    internal void NoteResponseModel(string? model)
    {
        if (model is not null)
        {
            _responseModel = model;
        }
    }

    /// <summary>Notes the tokens the call's result reported on its step of an agent run, counted or not (see <see cref="CountsUsage"/>).</summary>
    internal void NoteUsage(in TokenUsage usage)
    {
        if (_ownsStep && usage.IsReported)
        {
            _run!.NoteUsage(_step, usage, _countsUsage);
        }
    }

    // An agent call outside any run starts one; any call inside a run is a step of it, under its parent's step.
    private void BeginStep()
    {
        InheritRun();
        if (_run is null && _recorder.Kind == OperationKind.Agent)
        {
            _run = AgentRuns.Begin(_recorder, Stopwatch.GetTimestamp());
            _step = 0;
            _ownsStep = true;
        }
        else if (_run is not null)
        {
            _step = _run.AddStep(_step, _recorder, Stopwatch.GetTimestamp());
            _ownsStep = _step >= 0;
        }
    }

    // A monitored operation inside a run is no step of its own: the calls it makes hang under the step around it.
    private void InheritRun()
    {
        if (_parent is { _run: { } run } parent)
        {
            _run = run;
            _step = parent._step;
        }
    }

    /// <summary>
    /// Records the end of the call. <paramref name="stopSpan"/> is false inside an exception filter, where the
    /// span must stay current until the stack unwinds; <see cref="Detach"/> stops it then.
    /// </summary>
    internal void End(OperationStatus status, Exception? exception, long elapsedTicks, bool stopSpan)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        try
        {
            if (_tree)
            {
                CallTree.Record(_parent?._recorder, _recorder, elapsedTicks);
            }

            if (_ownsStep)
            {
                _run!.EndStep(_step, status, exception);
            }

            if (_genAI is not null)
            {
                GenAITelemetry.RecordDuration(_genAI, _requestModel, _responseModel, elapsedTicks, status, exception);
            }

            if (_activity is { } activity)
            {
                MarkSpan(activity, status, exception);
                if (stopSpan)
                {
                    StopPreservingCurrent(activity);
                }
            }
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("operation context", ex);
        }
    }

    /// <summary>
    /// Called when control leaves the interceptor: restores the caller's ambient operation and span, and stops
    /// the span of a call that ended (a synchronous failure) while its stack unwound.
    /// </summary>
    internal void Detach()
    {
        try
        {
            ExecutionContext? before = _contextBefore;
            bool unchanged = before is not null && ReferenceEquals(ExecutionContext.Capture(), _contextEntered);
            _contextBefore = _contextEntered = null;
            if (unchanged)
            {
                // Nothing has changed the flow's state since the call entered (the callee set no async-local value, or
                // its own async method put it back): the state from before the call is the caller's ambient operation
                // and span, put back in one step instead of one write per async local.
                ExecutionContext.Restore(before!);
                if (_activity is { IsStopped: false } ended && Volatile.Read(ref _ended) != 0)
                {
                    ended.Stop();
                }

                return;
            }

            if (_pushed && ReferenceEquals(s_current.Value, this))
            {
                s_current.Value = _parent;
            }

            if (_activity is { } activity)
            {
                if (Volatile.Read(ref _ended) != 0)
                {
                    if (!activity.IsStopped)
                    {
                        activity.Stop();
                    }
                }
                else if (ReferenceEquals(Activity.Current, activity))
                {
                    Activity.Current = activity.Parent;
                }
            }
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("operation context", ex);
        }
    }

    private static void MarkSpan(Activity activity, OperationStatus status, Exception? exception)
    {
        switch (status)
        {
            case OperationStatus.Success:
                activity.SetStatus(ActivityStatusCode.Ok);
                break;
            case OperationStatus.Cancelled:
                activity.SetTag("maran.status", "cancelled");
                break;
            default:
                activity.SetStatus(ActivityStatusCode.Error, exception?.Message);
                if (exception is not null)
                {
                    activity.SetTag("error.type", exception.GetType().FullName);
                    activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
                    {
                        ["exception.type"] = exception.GetType().FullName,
                        ["exception.message"] = exception.Message,
                        ["exception.stacktrace"] = exception.ToString(),
                    }));
                }

                break;
        }
    }

    // Activity.Stop makes the span's parent current; on a continuation thread that would leak into unrelated work.
    private static void StopPreservingCurrent(Activity activity)
    {
        Activity? current = Activity.Current;
        activity.Stop();
        if (!ReferenceEquals(current, activity))
        {
            Activity.Current = current;
        }
    }
}
