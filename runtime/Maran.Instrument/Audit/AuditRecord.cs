namespace Maran.Instrument.Audit;

/// <summary>What an audit record is about: the <c>type</c> field of its line.</summary>
internal enum AuditRecordType
{
    /// <summary><c>start</c>: the monitoring started, with the digest of its configuration and where it came from.</summary>
    Start,

    /// <summary><c>stop</c>: the monitoring stopped after writing everything it had accepted.</summary>
    Stop,

    /// <summary><c>call</c>: one monitored call (operation, model call, tool or agent run) ended.</summary>
    Call,

    /// <summary><c>model</c>: the tokens and cost of one model call, attributed to the operation that owns them.</summary>
    Model,

    /// <summary><c>auth_failure</c>: a request to the dashboard or its API failed to authenticate.</summary>
    AuthenticationFailure,

    /// <summary><c>dashboard_write</c>: a change made through the dashboard (an alert silenced), with the token that made it.</summary>
    DashboardWrite,

    /// <summary><c>gap</c>: records that could not be kept (a full queue, a refused write, calls overwritten before they were taken), counted.</summary>
    Gap,
}

/// <summary>
/// One entry of the audit trail before it is written: what happened and when, never argument or message content.
/// Fields a type does not use stay null or zero and are not written.
/// </summary>
internal readonly record struct AuditRecord(AuditRecordType Type, DateTimeOffset Time)
{
    /// <summary>The operation's name (calls, model calls, gaps of one operation).</summary>
    public string? Operation { get; init; }

    /// <summary>The operation's component.</summary>
    public string? Component { get; init; }

    /// <summary>For calls: <c>operation</c>, <c>model_call</c>, <c>tool</c> or <c>agent</c>.</summary>
    public string? Kind { get; init; }

    /// <summary>For calls: <c>success</c>, <c>error</c> or <c>cancelled</c>; for dashboard writes, the status answered.</summary>
    public string? Outcome { get; init; }

    /// <summary>For failed calls: the exception's type name (never its message).</summary>
    public string? ErrorType { get; init; }

    /// <summary>For calls: the duration in milliseconds, when the call was timed.</summary>
    public double? DurationMs { get; init; }

    /// <summary>The W3C trace id the call ran in, when one is known.</summary>
    public string? TraceId { get; init; }

    /// <summary>For model records: the model.</summary>
    public string? Model { get; init; }

    /// <summary>For model records: input tokens.</summary>
    public long InputTokens { get; init; }

    /// <summary>For model records: output tokens.</summary>
    public long OutputTokens { get; init; }

    /// <summary>For model records: the cost in USD, null when the model has no price.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>For authentication failures and dashboard writes: the client's address.</summary>
    public string? Client { get; init; }

    /// <summary>Why: the authentication failure's reason, the gap's cause.</summary>
    public string? Reason { get; init; }

    /// <summary>For dashboard writes: the name of the token that made the change.</summary>
    public string? Token { get; init; }

    /// <summary>For authentication failures and dashboard writes: the method and path asked for (<c>POST /api/alerts/silences</c>), never the query.</summary>
    public string? Route { get; init; }

    /// <summary>For dashboard writes: what the write changed (<c>silence alertname=HighCpu for 1h</c>).</summary>
    public string? Change { get; init; }

    /// <summary>For gaps: records lost; for stop: records written in this run.</summary>
    public long Count { get; init; }

    /// <summary>For start: the SHA-256 of the effective configuration.</summary>
    public string? ConfigurationDigest { get; init; }

    /// <summary>For start: where the configuration came from (files, environment variables, code).</summary>
    public IReadOnlyList<string>? Sources { get; init; }
}
