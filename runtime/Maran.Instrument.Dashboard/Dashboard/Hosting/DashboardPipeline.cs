using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// The first middleware of the standalone dashboard's server: every response it sends carries the security headers,
/// the framework's own (404, 405, 400) included; a request target or header block past the dashboard's limits is
/// answered 414 or 431 with a problem body; a request that fails is counted, reported once and answered 500.
/// Kestrel's own limits are set well above the dashboard's, so that such requests reach this middleware.
/// </summary>
internal static class DashboardPipeline
{
    /// <summary>Characters of a request target (path and query) at most: 8 KiB, Kestrel's usual request-line limit.</summary>
    internal const int MaxRequestTarget = 8 * 1024;

    /// <summary>Bytes of request headers (names and values) at most: 32 KiB, Kestrel's usual limit.</summary>
    internal const int MaxHeadersSize = 32 * 1024;

    /// <summary>Request headers at most: 100, Kestrel's usual limit.</summary>
    internal const int MaxHeaderCount = 100;

    /// <summary>
    /// Kestrel's request-line and header limits on this server: past them Kestrel closes the connection with a bare
    /// 414 or 431 of its own, which no middleware sees.
    /// </summary>
    internal const int KestrelLimit = 256 * 1024;

    /// <summary>Raises Kestrel's limits above the dashboard's, which <see cref="Use"/> applies.</summary>
    public static void Configure(KestrelServerLimits limits)
    {
        limits.MaxRequestLineSize = KestrelLimit;
        limits.MaxRequestHeadersTotalSize = KestrelLimit;
        limits.MaxRequestHeaderCount = 1000;
    }

    /// <summary>What <c>Strict-Transport-Security</c> says over HTTPS: one year, so a browser never tries plain HTTP on this host again.</summary>
    internal const string StrictTransportSecurity = "max-age=31536000";

    /// <summary>
    /// Adds the middleware; over HTTPS every response also carries <see cref="StrictTransportSecurity"/>, and in
    /// <paramref name="debugMode"/> a failure's problem body carries the exception's text.
    /// </summary>
    public static void Use(IApplicationBuilder app, bool debugMode = false) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            DashboardResponses.ApplySecurityHeaders(response);
            if (response.HttpContext.Request.IsHttps)
            {
                response.Headers.StrictTransportSecurity = StrictTransportSecurity;
            }

            return Task.CompletedTask;
        }, context.Response);

        try
        {
            if (Refusal(context.Request) is { } refusal)
            {
                await DashboardResponses.ProblemAsync(context, refusal.Status, refusal.Title, refusal.Detail).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            await DashboardResponses.FailedAsync(context, ex, debugMode).ConfigureAwait(false);
        }
    });

    private static (int Status, string Title, string Detail)? Refusal(HttpRequest request)
    {
        int target = request.Path.Value!.Length + request.QueryString.Value!.Length;
        if (target > MaxRequestTarget)
        {
            return (StatusCodes.Status414UriTooLong, "The address is too long",
                string.Create(CultureInfo.InvariantCulture, $"The request target is {target} characters: the dashboard reads {MaxRequestTarget} at most."));
        }

        long size = 0;
        foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> header in request.Headers)
        {
            size += header.Key.Length;
            foreach (string? value in header.Value)
            {
                size += value?.Length ?? 0;
            }
        }

        if (request.Headers.Count > MaxHeaderCount || size > MaxHeadersSize)
        {
            return (StatusCodes.Status431RequestHeaderFieldsTooLarge, "The request headers are too large",
                string.Create(CultureInfo.InvariantCulture, $"The request has {request.Headers.Count} headers of {size} bytes: the dashboard reads {MaxHeaderCount} headers of {MaxHeadersSize} bytes at most."));
        }

        return null;
    }
}
