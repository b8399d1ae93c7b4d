namespace Maran.Instrument.Errors;

/// <summary>How bad an error is; automatic tracking records failures as <see cref="Error"/> and cancellations as <see cref="Info"/>.</summary>
public enum ErrorSeverity
{
    /// <summary>Worth knowing, not a failure (a call the caller cancelled).</summary>
    Info,

    /// <summary>Something went wrong and was handled.</summary>
    Warning,

    /// <summary>An operation failed.</summary>
    Error,

    /// <summary>A failure that stops the agent or loses data.</summary>
    Critical,
}
