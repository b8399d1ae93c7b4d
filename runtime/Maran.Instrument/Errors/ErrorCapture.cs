using System.Diagnostics;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Errors;

/// <summary>
/// What the failure path hands to the error tracker's loop: references and a few numbers, nothing read from the
/// exception. A monitored call's failure names its <see cref="Recorder"/> and leaves type, message, category and
/// severity to the loop (<see cref="Describe"/>); an error tracked by hand comes with them.
/// </summary>
internal readonly record struct ErrorCapture
{
    public DateTimeOffset Timestamp { get; init; }

    public OperationRecorder? Recorder { get; init; }

    public OperationStatus Status { get; init; }

    public string? Type { get; init; }

    public ErrorCategory Category { get; init; }

    public ErrorSeverity Severity { get; init; }

    public required string Component { get; init; }

    public string? Operation { get; init; }

    public string? Message { get; init; }

    public Exception? Exception { get; init; }

    /// <summary>The exception's frames taken where it was recorded, or null when the loop reads them (<see cref="InterceptedTrace"/>).</summary>
    public StackTrace? Trace { get; init; }

    /// <summary>The call's duration in stopwatch ticks, or -1 when it was not timed or the error was tracked by hand.</summary>
    public long ElapsedTicks { get; init; }

    public ErrorContext.Node? Ambient { get; init; }

    public IReadOnlyDictionary<string, string>? Context { get; init; }

    public Activity? Activity { get; init; }

    public string? TraceId => Activity is { } a && a.TraceId != default ? a.TraceId.ToHexString() : null;

    public string? SpanId => Activity is { } a && a.SpanId != default ? a.SpanId.ToHexString() : null;

    /// <summary>
    /// Type, message, category and severity of a monitored call's failure, and whether it is tracked at all (a
    /// cancellation only when <paramref name="trackCancellations"/>, <c>errors.track_cancellations</c>).
    /// </summary>
    public bool Describe(bool trackCancellations, out string type, out string message, out ErrorCategory category, out ErrorSeverity severity)
    {
        bool cancelledWithoutException = Status == OperationStatus.Cancelled && Exception is null;
        type = Exception?.GetType().FullName ?? (cancelledWithoutException ? typeof(TaskCanceledException).FullName! : "Error");
        message = Exception?.Message ?? (cancelledWithoutException ? "The task was cancelled." : string.Empty);
        category = cancelledWithoutException ? ErrorCategory.Cancelled : ErrorCategorizer.Categorize(Exception, type, message);
        severity = category == ErrorCategory.Cancelled ? ErrorSeverity.Info : ErrorSeverity.Error;
        return category != ErrorCategory.Cancelled || trackCancellations;
    }
}
