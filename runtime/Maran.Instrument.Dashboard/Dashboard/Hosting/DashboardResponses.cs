using Microsoft.AspNetCore.Http;

namespace Maran.Instrument.Dashboard;

/// <summary>The headers every dashboard response carries, and how it answers JSON and errors.</summary>
internal static class DashboardResponses
{
    /// <summary>
    /// Scripts and styles only from the dashboard itself, no inline script, no framing, connections only back to the
    /// dashboard (its API and WebSocket).
    /// </summary>
    internal const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

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

    public static async Task JsonAsync(HttpContext context, byte[] json, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }

    public static Task ErrorAsync(HttpContext context, int status, string message) =>
        JsonAsync(context, DashboardJson.Serialize(new ErrorResponse(message), DashboardJson.Default.ErrorResponse), status);

    public static async Task TextAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(message, context.RequestAborted).ConfigureAwait(false);
    }
}
