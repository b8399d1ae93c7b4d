namespace Maran.Instrument.Errors;

/// <summary>One error as it was recorded and stored.</summary>
public sealed record TrackedError
{
    /// <summary>When it happened (the failure or the <c>TrackError</c> call).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The group it belongs to: see <see cref="ErrorGroup.Fingerprint"/>.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>The exception's full type name, or the type given to <c>TrackError</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The message, as written (not normalised).</summary>
    public required string Message { get; init; }

    /// <summary>How bad it is.</summary>
    public required ErrorSeverity Severity { get; init; }

    /// <summary>What kind of failure it is.</summary>
    public required ErrorCategory Category { get; init; }

    /// <summary>The component that reported it.</summary>
    public required string Component { get; init; }

    /// <summary>The monitored operation that failed, or null for errors tracked by hand.</summary>
    public string? Operation { get; init; }

    /// <summary>The W3C trace id of the span it happened in, when there was one.</summary>
    public string? TraceId { get; init; }

    /// <summary>The W3C span id of the span it happened in, when there was one.</summary>
    public string? SpanId { get; init; }

    /// <summary>The stack from the throw to the monitored call (or to where it was tracked), with file and line where symbols allow.</summary>
    public string? StackTrace { get; init; }

    /// <summary>The exceptions it wraps, outermost first.</summary>
    public IReadOnlyList<InnerError> InnerExceptions { get; init; } = [];

    /// <summary>Tags added by the program (<see cref="ErrorContext"/> and the <c>context</c> argument); never argument values.</summary>
    public IReadOnlyDictionary<string, string>? Context { get; init; }

    /// <summary>How long the failed call ran, in milliseconds, when it was timed.</summary>
    public double? DurationMs { get; init; }
}

/// <summary>An exception wrapped by a tracked error.</summary>
/// <param name="Type">Its full type name.</param>
/// <param name="Message">Its message.</param>
/// <param name="StackTrace">Its stack trace, if it was thrown.</param>
public sealed record InnerError(string Type, string Message, string? StackTrace);
