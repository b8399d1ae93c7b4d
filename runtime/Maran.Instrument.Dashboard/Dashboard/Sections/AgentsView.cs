namespace Maran.Instrument.Dashboard;

/// <summary>
/// One page of the recent agent runs (newest first), the conversations they belong to (most recently active first),
/// and the selected run as a waterfall; <see cref="Message"/> says why a selected run is not shown.
/// </summary>
internal sealed record AgentsView(
    int Total,
    int Page,
    int Size,
    int Capacity,
    IReadOnlyList<AgentRunRow> Rows,
    IReadOnlyList<ConversationRow> Conversations,
    AgentRunDetail? Run,
    string? Message);

/// <summary>One agent run in the list: its agent, conversation, outcome, tokens and cost.</summary>
internal sealed record AgentRunRow(
    long Id,
    string Agent,
    string? Conversation,
    DateTimeOffset Start,
    double? DurationMs,
    string Status,
    int Steps,
    int Errors,
    long InputTokens,
    long OutputTokens,
    decimal? CostUsd);

/// <summary>
/// One conversation's totals over its runs; <see cref="CostUsd"/> is null when a model it used has no price
/// (its tokens are still shown).
/// </summary>
internal sealed record ConversationRow(
    string Id,
    long Runs,
    long FailedRuns,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    double DurationMs,
    long InputTokens,
    long OutputTokens,
    decimal? CostUsd,
    long LastRun);

/// <summary>One agent run as a waterfall: every step at its start offset from the run's start, with its duration.</summary>
internal sealed record AgentRunDetail(
    long Id,
    string Agent,
    string? Conversation,
    DateTimeOffset Start,
    double? DurationMs,
    string Status,
    int Errors,
    long InputTokens,
    long OutputTokens,
    decimal? CostUsd,
    int DroppedSteps,
    IReadOnlyList<AgentStepView> Steps);

/// <summary>
/// One call of a run: its kind (<c>agent</c>, <c>model_call</c>, <c>tool</c>), its place in the tree, its bar (offset
/// and duration), its tokens and cost, and how it failed. <see cref="Counted"/> is false for a model call whose tokens
/// the agent around it reports: shown here, summed once, at the agent.
/// </summary>
internal sealed record AgentStepView(
    int Index,
    int Parent,
    int Depth,
    string Kind,
    string Name,
    string Component,
    string? Provider,
    string? Model,
    double OffsetMs,
    double? DurationMs,
    string Status,
    string? ErrorType,
    string? ErrorMessage,
    long? InputTokens,
    long? OutputTokens,
    long? CachedInputTokens,
    long? ReasoningTokens,
    bool CacheHit,
    bool Counted,
    decimal? CostUsd);
