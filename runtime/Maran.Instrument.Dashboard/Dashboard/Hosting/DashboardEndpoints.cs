using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// The dashboard's routes under a prefix: the page, its assets, one JSON API per section, the trends, the series
/// anomaly rules watch, one trace,
/// setting and ending silences, resolving error groups, and the live WebSocket; standalone, the Prometheus metrics
/// too. Every route passes the <see cref="AccessGuard"/> and carries the security headers; the changes (POST) pass its
/// CSRF checks too. A number out of its range is a 400 problem; a failure inside a route, a 500 problem, counted.
/// </summary>
internal static class DashboardEndpoints
{
    /// <summary>Bytes of a request body at most: changes are small JSON objects.</summary>
    internal const int MaxBody = 16 * 1024;

    public static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, string prefix, DashboardHub hub, AccessGuard guard)
    {
        DashboardAssets assets = DashboardAssets.Embedded;
        ILoggerFactory loggers = endpoints.ServiceProvider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        RouteGroupBuilder group = endpoints.MapGroup(prefix);

        group.MapGet("/", Guarded(guard, isPage: true, context =>
        {
            // The page's links are relative: it must be loaded from the prefix with its trailing slash.
            PathString path = context.Request.PathBase.Add(context.Request.Path);
            if (!path.HasValue || !path.Value!.EndsWith('/'))
            {
                context.Response.Redirect(path + "/");
                return Task.CompletedTask;
            }

            return assets.ServeAsync(context, "index.html");
        }));
        group.MapGet("/assets/{**path}", Guarded(guard, isPage: false, context =>
            assets.ServeAsync(context, context.Request.RouteValues["path"] as string ?? string.Empty)));

        group.MapGet("/api/sections", Guarded(guard, isPage: false, context =>
            DashboardResponses.JsonAsync(context, DashboardJson.Serialize(hub.Current.Overview.Sections, DashboardJson.Default.IReadOnlyListSectionInfo))));

        group.MapGet("/api/trends", Guarded(guard, isPage: false, async context =>
        {
            if (FrameOf(context, hub, out DashboardFrame? frame) is { } refusal)
            {
                await refusal.ConfigureAwait(false);
                return;
            }

            TrendSeries series = await frame!.Source.TrendsAsync(frame).ConfigureAwait(false);
            await DashboardResponses.JsonAsync(context, DashboardJson.Serialize(series, DashboardJson.Default.TrendSeries)).ConfigureAwait(false);
        }));

        group.MapGet("/api/trends/{id:int}", Guarded(guard, isPage: false, async context =>
        {
            int id = int.Parse((string)context.Request.RouteValues["id"]!, System.Globalization.CultureInfo.InvariantCulture);
            if (FrameOf(context, hub, out DashboardFrame? frame) is { } refusal)
            {
                await refusal.ConfigureAwait(false);
                return;
            }

            if (await frame!.Source.OperationTrendsAsync(frame, id).ConfigureAwait(false) is not { } series)
            {
                await DashboardResponses.ErrorAsync(context, StatusCodes.Status404NotFound, "No such operation.").ConfigureAwait(false);
                return;
            }

            await DashboardResponses.JsonAsync(context, DashboardJson.Serialize(series, DashboardJson.Default.OperationTrendSeries)).ConfigureAwait(false);
        }));

        group.MapGet("/api/anomalies", Guarded(guard, isPage: false, context =>
            FrameOf(context, hub, out DashboardFrame? frame) is { } refusal
                ? refusal
                : DashboardResponses.JsonAsync(context, frame!.Memo("anomalies", f => DashboardJson.Serialize(WatchedSeries.Build(hub.System, f), DashboardJson.Default.WatchedSeriesView)))));

        group.MapGet("/api/traces/{traceId}", Guarded(guard, isPage: false, context =>
        {
            var traces = (TracesSection)hub.Section("traces")!;
            return traces.Find((string)context.Request.RouteValues["traceId"]!) is { } detail
                ? DashboardResponses.JsonAsync(context, DashboardJson.Serialize(detail, DashboardJson.Default.TraceDetail))
                : DashboardResponses.ErrorAsync(context, StatusCodes.Status404NotFound, "No such trace is kept: only the most recent ones are (dashboard.max_traces).");
        }));

        group.MapGet("/api/session", Guarded(guard, isPage: false, context =>
            DashboardResponses.JsonAsync(context, DashboardJson.Serialize(new SessionView(guard.CsrfToken, AccessGuard.CsrfHeader), DashboardJson.Default.SessionView))));

        var alerts = (AlertsSection)hub.Section("alerts")!;
        group.MapPost("/api/alerts/silences", GuardedChange(guard, async context =>
        {
            (SilenceRequest? request, int status, string? error) = await ReadJsonAsync(context, DashboardJson.Default.SilenceRequest).ConfigureAwait(false);
            if (request is null)
            {
                await DashboardResponses.ErrorAsync(context, status, error!).ConfigureAwait(false);
                return;
            }

            string by = "dashboard" + (AccessGuard.Caller(context) is { } caller && !ReferenceEquals(caller, AccessGuard.Local) ? $" token '{caller.Name}'" : string.Empty)
                + (context.Connection.RemoteIpAddress is { } address ? " at " + address : string.Empty);
            (int code, byte[] json) = alerts.Silence(request, by);
            AccessGuard.DescribeChange(context, SilenceChange(request));
            await DashboardResponses.JsonAsync(context, json, code).ConfigureAwait(false);
        }));

        group.MapPost("/api/alerts/silences/{id:guid}/expire", GuardedChange(guard, context =>
        {
            var id = Guid.Parse((string)context.Request.RouteValues["id"]!, System.Globalization.CultureInfo.InvariantCulture);
            (int code, byte[] json) = alerts.Unsilence(id);
            AccessGuard.DescribeChange(context, "expire silence " + id.ToString("D", System.Globalization.CultureInfo.InvariantCulture));
            return DashboardResponses.JsonAsync(context, json, code);
        }));

        var errors = (ErrorsSection)hub.Section("errors")!;
        group.MapPost("/api/errors/groups/{fingerprint}/resolve", GuardedChange(guard, context =>
        {
            string fingerprint = (string)context.Request.RouteValues["fingerprint"]!;
            (int code, byte[] json) = errors.Resolve(fingerprint);
            AccessGuard.DescribeChange(context, "resolve error group " + fingerprint);
            return DashboardResponses.JsonAsync(context, json, code);
        }));

        if (guard.DebugMode)
        {
            MapDebug(group, hub, guard);
        }

        group.MapGet("/api/{section}", Guarded(guard, isPage: false, context =>
        {
            string name = (string)context.Request.RouteValues["section"]!;
            if (hub.Section(name) is not { } section)
            {
                return DashboardResponses.ErrorAsync(context, StatusCodes.Status404NotFound, "No such section.");
            }

            if (SectionQuery.Read(context.Request.Query, out QueryProblem? problem) is not { } query)
            {
                return DashboardResponses.BadParameterAsync(context, problem!);
            }

            return FrameOf(context, hub, out DashboardFrame? frame) is { } refusal
                ? refusal
                : DashboardResponses.JsonAsync(context, frame!.Render(section, query).Json);
        }));

        var webSockets = new WebSocketMiddleware(hub.AcceptAsync, Options.Create(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) }), loggers);
        group.MapMethods("/ws", [HttpMethods.Get, HttpMethods.Connect], Guarded(guard, isPage: false, context =>
        {
            if (!AccessGuard.IsSameOrigin(context))
            {
                return DashboardResponses.TextAsync(context, StatusCodes.Status403Forbidden, "Live updates are served only to the dashboard's own page (Origin does not match).");
            }

            // The app may not have called UseWebSockets: the middleware adds WebSocket support for this route alone.
            return webSockets.Invoke(context);
        }));

        return group;
    }

    /// <summary>
    /// The frame a request reads: the current one, or one read at <c>time=</c> (Unix seconds, as Prometheus's own API
    /// takes it) from a source that reads the past, narrowed to <c>instance=</c> when given. Null with
    /// <paramref name="frame"/> set, or the response refusing the request (a bad time, an unknown instance).
    /// </summary>
    private static Task? FrameOf(HttpContext context, DashboardHub hub, out DashboardFrame? frame)
    {
        frame = null;
        DashboardFrame read = hub.Current;
        if (context.Request.Query["time"] is { Count: > 0 } times && !string.IsNullOrWhiteSpace(times[0]))
        {
            if (hub.Source is not PrometheusSource)
            {
                return DashboardResponses.ErrorAsync(context, StatusCodes.Status400BadRequest,
                    "time= is read only from a Prometheus source (dashboard.source: prometheus): a process shows only its present.");
            }

            if (!double.TryParse(times[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double seconds)
                || !double.IsFinite(seconds) || seconds < 0 || seconds > SectionQuery.MaxBefore / 1000.0)
            {
                return DashboardResponses.ErrorAsync(context, StatusCodes.Status400BadRequest,
                    "time= must be a moment in Unix seconds (1767225600 or 1767225600.25).");
            }

            read = hub.At(DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)));
        }

        string? instance = context.Request.Query["instance"] is { Count: > 0 } named && !string.IsNullOrWhiteSpace(named[0]) ? named[0] : null;
        if (read.For(instance) is not { } narrowed)
        {
            string known = read.Instances.Count == 0
                ? "this dashboard shows one process"
                : "the instances are " + string.Join(", ", read.Instances.Keys.Order(StringComparer.Ordinal));
            return DashboardResponses.ErrorAsync(context, StatusCodes.Status404NotFound, $"No instance {instance} is scraped: {known}.");
        }

        frame = narrowed;
        return null;
    }

    /// <summary>
    /// Serves <paramref name="registry"/> at <c>/metrics</c> behind <paramref name="guard"/>: from this machine only, or
    /// with the access token (Prometheus sends it as <c>authorization: credentials</c>, a bearer token).
    /// </summary>
    public static IEndpointConventionBuilder MapMetrics(IEndpointRouteBuilder endpoints, CollectorRegistry registry, AccessGuard guard)
    {
        RequestDelegate exposition = endpoints.CreateApplicationBuilder()
            .UseMetricServer(url: null, registry)
            .Build();
        return endpoints.MapGet("/metrics", Guarded(guard, isPage: false, exposition));
    }

    /// <summary>
    /// <c>GET /api/debug/status</c> under <c>production.debug_mode</c>: the monitoring system's whole
    /// <c>GetDashboardData()</c> as JSON, for a caller that presented an access token (never by loopback alone).
    /// </summary>
    private static void MapDebug(RouteGroupBuilder group, DashboardHub hub, AccessGuard guard) =>
        group.MapGet("/api/debug/status", Guarded(guard, isPage: false, context =>
        {
            if (!guard.HasTokens || ReferenceEquals(AccessGuard.Caller(context), AccessGuard.Local))
            {
                return DashboardResponses.ErrorAsync(context, StatusCodes.Status403Forbidden,
                    "The debug status is served only to a caller with an access token: set one (dashboard.tokens, dashboard.token) and send it.");
            }

            return DashboardResponses.JsonAsync(context, DashboardJson.Serialize(hub.System.GetDashboardData(), DashboardJson.Default.DashboardData));
        }));

    // What a silence request asks for, for the audit: the fingerprint or the matchers, and the duration when given.
    private static string SilenceChange(SilenceRequest request)
    {
        string what = request.Fingerprint is { Length: > 0 } fingerprint
            ? "fingerprint " + fingerprint
            : string.Join(",", (request.Matchers ?? []).OrderBy(static m => m.Key, StringComparer.Ordinal).Select(static m => m.Key + "=" + m.Value));
        return request.Minutes is { } minutes
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"silence {what} for {minutes} min")
            : "silence " + what;
    }

    /// <summary>A change behind <paramref name="guard"/>; one that went through is recorded in the audit trail when it is on.</summary>
    private static RequestDelegate GuardedChange(AccessGuard guard, RequestDelegate handler) => async context =>
    {
        DashboardResponses.ApplySecurityHeaders(context.Response);
        try
        {
            if (await guard.AllowChangeAsync(context).ConfigureAwait(false))
            {
                await handler(context).ConfigureAwait(false);
                guard.RecordChange(context);
            }
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            await DashboardResponses.FailedAsync(context, ex, guard.DebugMode).ConfigureAwait(false);
        }
    };

    /// <summary>Reads a JSON body of at most <see cref="MaxBody"/> bytes; null with the status and reason when it is not one.</summary>
    private static async Task<(T? Value, int Status, string? Error)> ReadJsonAsync<T>(HttpContext context, JsonTypeInfo<T> info)
        where T : class
    {
        if (context.Request.ContentLength > MaxBody)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, $"The body is {MaxBody} bytes at most.");
        }

        using var body = new MemoryStream();
        byte[] chunk = new byte[4096];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > MaxBody)
            {
                return (null, StatusCodes.Status413PayloadTooLarge, $"The body is {MaxBody} bytes at most.");
            }

            body.Write(chunk, 0, read);
        }

        try
        {
            T? value = JsonSerializer.Deserialize(body.GetBuffer().AsSpan(0, (int)body.Length), info);
            return value is null ? (null, StatusCodes.Status400BadRequest, "The body is empty: send a JSON object.") : (value, 0, null);
        }
        catch (JsonException ex)
        {
            return (null, StatusCodes.Status400BadRequest, "The body is not the JSON expected: " + ex.Message);
        }
    }

    // A failure inside a route is answered here too: mounted in an app, the dashboard has no middleware of its own.
    private static RequestDelegate Guarded(AccessGuard guard, bool isPage, RequestDelegate handler) => async context =>
    {
        DashboardResponses.ApplySecurityHeaders(context.Response);
        try
        {
            if (await guard.AllowAsync(context, isPage).ConfigureAwait(false))
            {
                await handler(context).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            await DashboardResponses.FailedAsync(context, ex, guard.DebugMode).ConfigureAwait(false);
        }
    };
}
