using Maran.Instrument.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Maran.Instrument.Dashboard;

/// <summary>The headers every dashboard response carries, and how it answers JSON, problems and failures.</summary>
internal static class DashboardResponses
{
    /// <summary>
    /// Scripts and styles only from the dashboard itself, no inline script, no framing, connections only back to the
    /// dashboard (its API and WebSocket).
    /// </summary>
    internal const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>Sets the security headers on <paramref name="response"/>; setting them twice is harmless.</summary>
    public static void ApplySecurityHeaders(HttpResponse response)
    {
        IHeaderDictionary headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), usb=()";
    }

    /// <summary>Answers <paramref name="json"/>; with an error status it is a problem body (<see cref="ProblemResponse"/>) and says so.</summary>
    public static async Task JsonAsync(HttpContext context, byte[] json, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = status >= StatusCodes.Status400BadRequest ? "application/problem+json; charset=utf-8" : "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Answers an API error: a problem body whose title is the status's reason phrase and whose detail is <paramref name="message"/>.</summary>
    public static Task ErrorAsync(HttpContext context, int status, string message) =>
        ProblemAsync(context, status, ReasonPhrases.GetReasonPhrase(status), message);

    /// <summary>
    /// Answers with an RFC 9457 problem body (<c>application/problem+json</c>): <c>type</c>, <c>title</c>,
    /// <c>status</c>, <c>detail</c> (repeated as <c>error</c>, which the page shows), for a refused parameter its name and
    /// allowed range, and under <c>production.debug_mode</c> the text of the exception that failed the request.
    /// </summary>
    public static Task ProblemAsync(HttpContext context, int status, string title, string detail, QueryProblem? problem = null, string? exception = null)
    {
        var body = new ProblemResponse("about:blank", title, status, detail, problem?.Parameter, problem?.Allowed, detail, exception);
        byte[] json = DashboardJson.Serialize(body, DashboardJson.Default.ProblemResponse);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = json.Length;
        return context.Response.Body.WriteAsync(json, context.RequestAborted).AsTask();
    }

    /// <summary>Answers a number out of its range: 400 with a problem body naming the parameter and its range.</summary>
    public static Task BadParameterAsync(HttpContext context, QueryProblem problem) =>
        ProblemAsync(context, StatusCodes.Status400BadRequest, "A parameter is out of its range", problem.Detail, problem);

    /// <summary>
    /// Answers a request that failed inside the dashboard: counted and reported once per kind
    /// (<c>maran_internal_errors_total</c>), then 500 with a problem body, unless the response had already started.
    /// The body carries the exception's text (type, message, stack) only in <paramref name="debugMode"/>.
    /// </summary>
    public static async Task FailedAsync(HttpContext context, Exception exception, bool debugMode)
    {
        MonitoringDiagnostics.InternalError($"dashboard request ({exception.GetType().Name})", exception);
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        context.Response.Clear();
        ApplySecurityHeaders(context.Response);
        await ProblemAsync(
            context,
            StatusCodes.Status500InternalServerError,
            "The dashboard failed",
            "The request failed inside the dashboard; the failure is counted in maran_internal_errors_total and reported once.",
            exception: debugMode ? exception.ToString() : null).ConfigureAwait(false);
    }

    public static async Task TextAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(message, context.RequestAborted).ConfigureAwait(false);
    }
}
