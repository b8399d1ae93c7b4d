using System.Diagnostics;
using System.Runtime.CompilerServices;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Profiling;

/// <summary>
/// The most recent agent runs, each with the model calls, tools and nested agents it made (its steps, with their start
/// offsets, durations, tokens and failures), and the totals of each conversation the runs belonged to. A run is kept
/// once its outermost agent call ends; the store holds at most <see cref="Capacity"/> runs and
/// <see cref="ConversationCapacity"/> conversations, dropping the oldest, and a run at most <see cref="MaxSteps"/> steps.
/// </summary>
/// <remarks>Written when an agent call ends (a run is slow next to the lock it takes); read by the dashboard.</remarks>
internal static class AgentRuns
{
    /// <summary>Runs kept at most, newest first.</summary>
    internal const int Capacity = 200;

    /// <summary>Conversations whose totals are kept at most; the one seen least recently goes first.</summary>
    internal const int ConversationCapacity = 1000;

    /// <summary>Steps kept per run at most; the ones beyond are counted, not kept.</summary>
    internal const int MaxSteps = 500;

    private static readonly object s_lock = new();
    private static readonly LinkedList<AgentRun> s_runs = new();
    private static readonly Dictionary<string, LinkedListNode<ConversationTotals>> s_conversations = new(StringComparer.Ordinal);
    private static readonly LinkedList<ConversationTotals> s_conversationOrder = new();
    private static readonly ConditionalWeakTable<object, string> s_sessions = new();
    private static long s_nextRun;

    /// <summary>The runs kept, newest first.</summary>
    internal static IReadOnlyList<AgentRun> Recent()
    {
        lock (s_lock)
        {
            return [.. s_runs];
        }
    }

    /// <summary>The totals of every conversation kept, the most recently active first.</summary>
    internal static IReadOnlyList<ConversationTotals> Conversations()
    {
        lock (s_lock)
        {
            return [.. s_conversationOrder.Select(static c => c.Copy())];
        }
    }

    /// <summary>
    /// The conversation id of an Agent Framework session: one per session object, for as long as it lives, so every
    /// run made with the same session belongs to one conversation.
    /// </summary>
    internal static string ConversationOf(object session) =>
        s_sessions.GetValue(session, static _ => "session-" + Guid.NewGuid().ToString("N")[..16]);

    /// <summary>Starts recording a run whose outermost agent call is <paramref name="agent"/>.</summary>
    internal static RunBuilder Begin(OperationRecorder agent, long startTimestamp) =>
        new(Interlocked.Increment(ref s_nextRun), agent, DateTimeOffset.UtcNow, startTimestamp);

    /// <summary>Keeps a finished run and adds it to its conversation's totals.</summary>
    internal static void Keep(AgentRun run)
    {
        lock (s_lock)
        {
            s_runs.AddFirst(run);
            if (s_runs.Count > Capacity)
            {
                s_runs.RemoveLast();
            }

            if (run.ConversationId is not { } id)
            {
                return;
            }

            if (s_conversations.TryGetValue(id, out LinkedListNode<ConversationTotals>? node))
            {
                s_conversationOrder.Remove(node);
            }
            else
            {
                node = new LinkedListNode<ConversationTotals>(new ConversationTotals(id, run.Start));
                s_conversations[id] = node;
            }

            node.Value.Add(run);
            s_conversationOrder.AddFirst(node);
            if (s_conversationOrder.Count > ConversationCapacity)
            {
                s_conversations.Remove(s_conversationOrder.Last!.Value.Id);
                s_conversationOrder.RemoveLast();
            }
        }
    }

    /// <summary>
    /// One run being recorded: the steps its calls add as they start and end, from any thread. Step 0 is the run's
    /// own agent call.
    /// </summary>
    internal sealed class RunBuilder
    {
        private readonly object _lock = new();
        private readonly List<StepBuilder> _steps = [];
        private readonly long _id;
        private readonly DateTimeOffset _start;
        private readonly long _startTimestamp;
        private string? _conversationId;
        private int _droppedSteps;

        internal RunBuilder(long id, OperationRecorder agent, DateTimeOffset start, long startTimestamp)
        {
            _id = id;
            _start = start;
            _startTimestamp = startTimestamp;
            _steps.Add(new StepBuilder(0, -1, agent, 0));
        }

        /// <summary>Adds a step for a call starting now inside the step <paramref name="parent"/>; -1 when the run is full.</summary>
        internal int AddStep(int parent, OperationRecorder recorder, long startTimestamp)
        {
            lock (_lock)
            {
                if (_steps.Count >= MaxSteps)
                {
                    _droppedSteps++;
                    return -1;
                }

                int index = _steps.Count;
                _steps.Add(new StepBuilder(index, parent, recorder, startTimestamp - _startTimestamp));
                return index;
            }
        }

        /// <summary>Sets the run's conversation, unless one is already known.</summary>
        internal void JoinConversation(string id)
        {
            lock (_lock)
            {
                _conversationId ??= id;
            }
        }

        /// <summary>Notes the tokens a step's call read; <paramref name="counted"/> is false where an outer call reports them.</summary>
        internal void NoteUsage(int step, in TokenUsage usage, bool counted)
        {
            lock (_lock)
            {
                if (step >= 0 && step < _steps.Count)
                {
                    _steps[step].Usage = usage;
                    _steps[step].UsageCounted = counted;
                }
            }
        }

        /// <summary>
        /// Records how a step's call ended, now: every step is timed on the run's own clock, so a call made inside
        /// another ends within it. The end of step 0 ends the run, which is then kept.
        /// </summary>
        internal void EndStep(int step, OperationStatus status, Exception? exception)
        {
            AgentRun? finished = null;
            lock (_lock)
            {
                if (step < 0 || step >= _steps.Count)
                {
                    return;
                }

                StepBuilder s = _steps[step];
                s.Status = status;
                s.ElapsedTicks = Stopwatch.GetTimestamp() - _startTimestamp - s.OffsetTicks;
                s.ErrorType = exception?.GetType().FullName;
                s.ErrorMessage = exception?.Message;
                s.Ended = true;
                if (step == 0)
                {
                    finished = Build();
                }
            }

            if (finished is not null)
            {
                Keep(finished);
            }
        }

        private AgentRun Build()
        {
            var steps = new AgentRunStep[_steps.Count];
            for (int i = 0; i < steps.Length; i++)
            {
                steps[i] = _steps[i].Build();
            }

            return new AgentRun(_id, _steps[0].Recorder.Name, _conversationId, _start, steps, _droppedSteps);
        }
    }

    private sealed class StepBuilder(int index, int parent, OperationRecorder recorder, long offsetTicks)
    {
        internal OperationRecorder Recorder { get; } = recorder;

        internal long OffsetTicks { get; } = offsetTicks;

        internal OperationStatus Status { get; set; }

        internal long ElapsedTicks { get; set; }

        internal bool Ended { get; set; }

        internal string? ErrorType { get; set; }

        internal string? ErrorMessage { get; set; }

        internal TokenUsage? Usage { get; set; }

        internal bool UsageCounted { get; set; }

        internal AgentRunStep Build() => new(
            index,
            parent,
            Recorder.Kind,
            Recorder.Name,
            Recorder.Component,
            Recorder.Provider,
            ToMilliseconds(OffsetTicks),
            Ended ? ToMilliseconds(ElapsedTicks) : null,
            Ended ? Status : null,
            ErrorType,
            ErrorMessage,
            Usage,
            UsageCounted);

        private static double ToMilliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
    }
}

/// <summary>One finished agent run: the agent, its conversation, when it started, and its steps (step 0 is the run itself).</summary>
/// <param name="Id">The run's id in this process, increasing.</param>
/// <param name="Agent">The agent's name.</param>
/// <param name="ConversationId">The conversation the run belongs to (<c>gen_ai.conversation.id</c>), when the framework gave one.</param>
/// <param name="Start">When the run started.</param>
/// <param name="Steps">The run's calls in the order they started.</param>
/// <param name="DroppedSteps">Calls made beyond <see cref="AgentRuns.MaxSteps"/>: counted, not kept.</param>
internal sealed record AgentRun(long Id, string Agent, string? ConversationId, DateTimeOffset Start, IReadOnlyList<AgentRunStep> Steps, int DroppedSteps)
{
    /// <summary>The run's own agent call.</summary>
    internal AgentRunStep Root => Steps[0];

    /// <summary>Steps whose call failed (a cancelled call is not a failure).</summary>
    internal int Errors => Steps.Count(static s => s.Status == OperationStatus.Error);

    /// <summary>The tokens the run used, by model: each call's tokens once, where they were counted.</summary>
    internal IEnumerable<TokenUsage> CountedUsage => Steps.Where(static s => s is { UsageCounted: true, Usage: not null }).Select(static s => s.Usage!.Value);
}

/// <summary>One call in an agent run.</summary>
/// <param name="Index">Its position in the run; 0 is the run's own agent call.</param>
/// <param name="Parent">The step it ran inside; -1 for step 0.</param>
/// <param name="Kind">Model call, tool or agent.</param>
/// <param name="Name">The recorder's name (the API, the tool or the agent).</param>
/// <param name="Component">The recorder's component (the provider, <c>tools</c>, <c>agents</c>).</param>
/// <param name="Provider">The provider of a model call, when known.</param>
/// <param name="OffsetMs">Milliseconds from the start of the run to the start of the call.</param>
/// <param name="DurationMs">How long the call took; null when it had not ended when the run did.</param>
/// <param name="Status">How it ended; null when it had not.</param>
/// <param name="ErrorType">The exception's type, when it failed or was cancelled.</param>
/// <param name="ErrorMessage">The exception's message.</param>
/// <param name="Usage">The tokens its result reported, when it reported any.</param>
/// <param name="UsageCounted">Whether those tokens count toward the run: false for a model call made directly inside an agent, whose own usage reports them.</param>
internal sealed record AgentRunStep(
    int Index,
    int Parent,
    OperationKind Kind,
    string Name,
    string Component,
    string? Provider,
    double OffsetMs,
    double? DurationMs,
    OperationStatus? Status,
    string? ErrorType,
    string? ErrorMessage,
    TokenUsage? Usage,
    bool UsageCounted);

/// <summary>The totals of one conversation over the runs kept and forgotten alike: runs, failed runs, time and tokens by model.</summary>
internal sealed class ConversationTotals(string id, DateTimeOffset firstSeen)
{
    private readonly Dictionary<string, RunTokens> _tokens = new(StringComparer.Ordinal);

    /// <summary>The conversation's id.</summary>
    public string Id { get; } = id;

    /// <summary>When its first run started.</summary>
    public DateTimeOffset FirstSeen { get; } = firstSeen;

    /// <summary>When its latest run started.</summary>
    public DateTimeOffset LastSeen { get; private set; } = firstSeen;

    /// <summary>Its runs.</summary>
    public long Runs { get; private set; }

    /// <summary>Its runs that had a failed step.</summary>
    public long FailedRuns { get; private set; }

    /// <summary>The time its runs took, summed.</summary>
    public double DurationMs { get; private set; }

    /// <summary>The newest run's id.</summary>
    public long LastRun { get; private set; }

    /// <summary>Its tokens, by model (<c>""</c> when the responses named none).</summary>
    public IReadOnlyDictionary<string, RunTokens> Tokens => _tokens;

    internal void Add(AgentRun run)
    {
        Runs++;
        FailedRuns += run.Errors > 0 ? 1 : 0;
        DurationMs += run.Root.DurationMs ?? 0;
        LastRun = run.Id;
        if (run.Start > LastSeen)
        {
            LastSeen = run.Start;
        }

        foreach (TokenUsage usage in run.CountedUsage)
        {
            string model = usage.Model ?? string.Empty;
            _tokens[model] = _tokens.GetValueOrDefault(model).Add(usage);
        }
    }

    internal ConversationTotals Copy()
    {
        var copy = new ConversationTotals(Id, FirstSeen) { LastSeen = LastSeen, Runs = Runs, FailedRuns = FailedRuns, DurationMs = DurationMs, LastRun = LastRun };
        foreach (KeyValuePair<string, RunTokens> pair in _tokens)
        {
            copy._tokens[pair.Key] = pair.Value;
        }

        return copy;
    }
}

/// <summary>Tokens summed over calls of one model; a cache hit adds none, as it used no provider tokens.</summary>
internal readonly record struct RunTokens(long Input, long Output, long CachedInput, long CacheWrite, long Reasoning)
{
    internal RunTokens Add(in TokenUsage usage) => usage.IsCacheHit
        ? this
        : new(Input + usage.InputTokens, Output + usage.OutputTokens, CachedInput + usage.CachedInputTokens, CacheWrite + usage.CacheWriteTokens, Reasoning + usage.ReasoningTokens);

    /// <summary>These tokens as one usage, to be priced.</summary>
    internal TokenUsage AsUsage(string model) => new(Input, Output, CachedInput, Reasoning, model, CacheWrite);
}
