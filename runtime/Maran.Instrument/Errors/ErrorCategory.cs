namespace Maran.Instrument.Errors;

/// <summary>What kind of failure an error is, as it matters to an AI agent: derived from the exception's type, HTTP status and message.</summary>
public enum ErrorCategory
{
    /// <summary>None of the others.</summary>
    Unknown,

    /// <summary>The call took too long: a <see cref="TimeoutException"/>, an HttpClient or SDK client timeout, HTTP 408 or 504.</summary>
    Timeout,

    /// <summary>The provider refused for rate or quota: HTTP 429 (and 529, overloaded).</summary>
    RateLimited,

    /// <summary>The prompt does not fit the model's context window.</summary>
    ContextLengthExceeded,

    /// <summary>Missing, wrong or insufficient credentials: HTTP 401, 403, 407.</summary>
    Authentication,

    /// <summary>The service could not be reached or dropped the connection (no HTTP status came back).</summary>
    Network,

    /// <summary>The provider's content policy filtered the prompt or the answer.</summary>
    ContentFiltered,

    /// <summary>The request itself was wrong: HTTP 400, 404, 409, 413, 415, 422, argument and validation errors.</summary>
    InvalidRequest,

    /// <summary>Memory ran out: <see cref="OutOfMemoryException"/>, CUDA and other device allocation failures.</summary>
    OutOfMemory,

    /// <summary>The caller cancelled the call.</summary>
    Cancelled,

    /// <summary>The service answered with a server error: HTTP 5xx other than 504 (a timeout) and 529 (overloaded, rate limited).</summary>
    ServerError,
}
