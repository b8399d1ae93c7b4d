namespace Maran.Instrument.Profiling;

/// <summary>How a monitored call ended.</summary>
public enum OperationStatus
{
    /// <summary>The call returned (or its task completed) normally.</summary>
    Success = 0,

    /// <summary>The call threw an exception other than <see cref="OperationCanceledException"/>.</summary>
    Error = 1,

    /// <summary>The call was cancelled: it threw <see cref="OperationCanceledException"/> or its task was cancelled. Not an error.</summary>
    Cancelled = 2,
}
