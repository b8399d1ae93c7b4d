using System.Text.RegularExpressions;

namespace Maran.Instrument.Errors;

/// <summary>
/// Tells what kind of failure an error is from its exception chain: the types, the HTTP status where there is one
/// and the messages providers write. The status comes from <see cref="HttpRequestException.StatusCode"/> anywhere in
/// the chain, else from the message: System.ClientModel's <c>ClientResultException</c> (the OpenAI SDK) writes
/// <c>HTTP 429 (...)</c> or <c>Status: 429 (...)</c>, Azure's <c>RequestFailedException</c> <c>Status: 429</c>. No
/// reflection: the core stays trimming- and NativeAOT-safe and references no provider SDK.
/// Runs on the failure path, once per error.
/// </summary>
internal static partial class ErrorCategorizer
{
    private const int MaxDepth = 8;

    /// <summary>The category of a failure with exception <paramref name="exception"/> (may be null) reported as <paramref name="type"/> with <paramref name="message"/>.</summary>
    public static ErrorCategory Categorize(Exception? exception, string type, string message)
    {
        var chain = new List<(string Type, string Message, int? Status, Exception? Exception)>();
        if (exception is not null)
        {
            Collect(exception, chain, 0);
        }
        else
        {
            chain.Add((type, message, StatusFromMessage(message), null));
        }

        return Categorize(chain);
    }

    private static ErrorCategory Categorize(List<(string Type, string Message, int? Status, Exception? Exception)> chain)
    {
        // Memory exhaustion, context overflow and content filtering have unmistakable messages, whatever the status says.
        foreach (var link in chain)
        {
            if (link.Exception is OutOfMemoryException or InsufficientMemoryException || OutOfMemoryMessage().IsMatch(link.Message))
            {
                return ErrorCategory.OutOfMemory;
            }

            if (ContextLengthMessage().IsMatch(link.Message))
            {
                return ErrorCategory.ContextLengthExceeded;
            }

            if (ContentFilterMessage().IsMatch(link.Message))
            {
                return ErrorCategory.ContentFiltered;
            }
        }

        foreach (var link in chain)
        {
            if (link.Status is int status && FromStatus(status) is { } byStatus)
            {
                return byStatus;
            }
        }

        foreach (var link in chain)
        {
            if (link.Exception is TimeoutException || link.Type.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
            {
                return ErrorCategory.Timeout;
            }
        }

        // An HttpClient or System.ClientModel timeout surfaces as a cancellation whose message (or inner exception, above) says so.
        if (chain.Exists(l => l.Exception is OperationCanceledException || l.Type.Contains("Cancel", StringComparison.OrdinalIgnoreCase)))
        {
            return chain.Exists(l => TimeoutMessage().IsMatch(l.Message)) ? ErrorCategory.Timeout : ErrorCategory.Cancelled;
        }

        foreach (var link in chain)
        {
            if (link.Exception is HttpRequestException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException
                || link.Type.EndsWith("WebException", StringComparison.Ordinal) || link.Type.Contains("Network", StringComparison.OrdinalIgnoreCase))
            {
                return ErrorCategory.Network;
            }

            if (link.Exception is ArgumentException or FormatException
                || link.Type.EndsWith("ValidationException", StringComparison.Ordinal)
                || link.Type.Contains("Validation", StringComparison.OrdinalIgnoreCase))
            {
                return ErrorCategory.InvalidRequest;
            }

            if (link.Type.Contains("RateLimit", StringComparison.OrdinalIgnoreCase) || link.Type.Contains("Throttl", StringComparison.OrdinalIgnoreCase))
            {
                return ErrorCategory.RateLimited;
            }

            if (link.Type.Contains("Authentication", StringComparison.OrdinalIgnoreCase) || link.Type.Contains("Unauthorized", StringComparison.OrdinalIgnoreCase))
            {
                return ErrorCategory.Authentication;
            }
        }

        foreach (var link in chain)
        {
            if (RateLimitMessage().IsMatch(link.Message))
            {
                return ErrorCategory.RateLimited;
            }

            if (AuthenticationMessage().IsMatch(link.Message))
            {
                return ErrorCategory.Authentication;
            }

            if (TimeoutMessage().IsMatch(link.Message))
            {
                return ErrorCategory.Timeout;
            }

            if (NetworkMessage().IsMatch(link.Message))
            {
                return ErrorCategory.Network;
            }

            if (InvalidRequestMessage().IsMatch(link.Message))
            {
                return ErrorCategory.InvalidRequest;
            }
        }

        return ErrorCategory.Unknown;
    }

    /// <summary>The HTTP status an exception carries: <see cref="HttpRequestException.StatusCode"/>, else its message (<c>HTTP 429</c>, <c>Status: 401</c>).</summary>
    internal static int? StatusOf(Exception exception) =>
        exception is HttpRequestException { StatusCode: { } code } ? (int)code : StatusFromMessage(exception.Message);

    private static ErrorCategory? FromStatus(int status) => status switch
    {
        429 or 529 => ErrorCategory.RateLimited,
        401 or 403 or 407 => ErrorCategory.Authentication,
        408 or 504 => ErrorCategory.Timeout,
        400 or 404 or 405 or 409 or 413 or 415 or 422 => ErrorCategory.InvalidRequest,
        >= 500 and <= 599 => ErrorCategory.ServerError,
        _ => null,
    };

    private static void Collect(Exception exception, List<(string, string, int?, Exception?)> chain, int depth)
    {
        if (depth >= MaxDepth)
        {
            return;
        }

        chain.Add((exception.GetType().FullName ?? exception.GetType().Name, exception.Message, StatusOf(exception), exception));
        if (exception is AggregateException aggregate)
        {
            foreach (Exception inner in aggregate.InnerExceptions)
            {
                Collect(inner, chain, depth + 1);
            }
        }
        else if (exception.InnerException is { } inner)
        {
            Collect(inner, chain, depth + 1);
        }
    }

    private static int? StatusFromMessage(string message)
    {
        Match match = StatusInMessage().Match(message);
        return match.Success && int.TryParse(match.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture, out int status)
            && status is >= 100 and <= 599 ? status : null;
    }

    [GeneratedRegex(@"\b(?:HTTP(?:/\d(?:\.\d)?)?|status(?:\s+code)?|status:|error\s+code:?|does not indicate success:)\s*\(?(\d{3})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StatusInMessage();

    [GeneratedRegex(@"out of memory|outofmemory|cudaErrorMemoryAllocation|CUBLAS_STATUS_ALLOC_FAILED|CUDNN_STATUS_ALLOC_FAILED|failed to allocate|allocation failed|insufficient memory|not enough memory|\bOOM\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OutOfMemoryMessage();

    [GeneratedRegex(@"context[_ ]length[_ ]exceeded|maximum context length|context (?:length|window|size)|prompt is too long|input is too long|exceeds? the (?:model's )?(?:maximum )?(?:context|token limit|number of tokens)|input token count .{0,40}exceeds|maximum number of tokens allowed|string_above_max_length", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ContextLengthMessage();

    [GeneratedRegex(@"content[_ ]filter|content management policy|content[_ ]policy|ResponsibleAIPolicyViolation|blocked (?:due to|because of|by) (?:safety|the safety)|finish[_ ]?reason\W{0,3}safety|safety (?:system|filter|settings)|flagged by (?:the )?moderation", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ContentFilterMessage();

    [GeneratedRegex(@"rate[_ ]limit|too many requests|quota|throttl|tokens per min|requests per min|resource[_ ]exhausted|overloaded", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RateLimitMessage();

    [GeneratedRegex(@"unauthori[sz]ed|unauthenticated|invalid[_ ]api[_ ]key|incorrect api key|api key (?:is )?(?:missing|invalid|not valid)|authentication|permission[_ ]denied|access denied|forbidden|invalid (?:subscription|access) key", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthenticationMessage();

    [GeneratedRegex(@"timed out|timeout|deadline[_ ]exceeded", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TimeoutMessage();

    [GeneratedRegex(@"connection refused|actively refused|connection reset|connection (?:was )?closed|no such host|name or service not known|name resolution|network is unreachable|host is unreachable|response ended prematurely|error occurred while sending the request|SSL connection could not be established|broken pipe|bad gateway|service unavailable|ECONNREFUSED|ECONNRESET", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NetworkMessage();

    [GeneratedRegex(@"invalid_request_error|invalid request|bad request|invalid_argument|validation (?:error|failed)|invalid (?:parameter|argument|value|schema)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InvalidRequestMessage();
}
