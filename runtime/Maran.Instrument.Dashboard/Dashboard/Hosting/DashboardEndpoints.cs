using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// The dashboard's routes under a prefix: the page, its assets, one JSON API per section, the trends, one trace,
/// and the live WebSocket. Every route passes the <see cref="AccessGuard"/> and carries the security headers.
/// </summary>
internal static class DashboardEndpoints
{
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

        group.MapGet("/api/trends", Guarded(guard, isPage: false, context =>
            DashboardResponses.JsonAsync(context, DashboardJson.Serialize(hub.Trends.Global(), DashboardJson.Default.TrendSeries))));

        group.MapGet("/api/trends/{id:int}", Guarded(guard, isPage: false, context =>
        {
            int id = int.Parse((string)context.Request.RouteValues["id"]!, System.Globalization.CultureInfo.InvariantCulture);
            if (OperationRegistry.ById(id) is null)
            {
                return DashboardResponses.ErrorAsync(context, StatusCodes.Status404NotFound, "No such operation.");
            }

            OperationTrendSeries series = hub.Trends.Operation(id) ?? new OperationTrendSeries(id, hub.Trends.Capacity, 0, tracked: false);
            return DashboardResponses.JsonAsync(context, DashboardJson.Serialize(series, DashboardJson.Default.OperationTrendSeries));
        }));

        group.MapGet("/api/traces/{traceId}", Guarded(guard, isPage: false, context =>
        {
            var traces = (TracesSection)hub.Section("traces")!;
            return traces.Find((string)context.Request.RouteValues["traceId"]!) is { } detail
                ? DashboardResponses.JsonAsync(context, DashboardJson.Serialize(detail, DashboardJson.Default.TraceDetail))
                : DashboardResponses.ErrorAsync(context, StatusCodes.Status404NotFound, "No such trace is kept: only the most recent ones are (dashboard.max_traces).");
        }));

        group.MapGet("/api/{section}", Guarded(guard, isPage: false, context =>
        {
            string name = (string)context.Request.RouteValues["section"]!;
            if (hub.Section(name) is not { } section)
            {
                return DashboardResponses.ErrorAsync(context, StatusCodes.Status404NotFound, "No such section.");
            }

            return DashboardResponses.JsonAsync(context, hub.Current.Render(section, SectionQuery.From(context.Request.Query)).Json);
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

    private static RequestDelegate Guarded(AccessGuard guard, bool isPage, RequestDelegate handler) => async context =>
    {
        DashboardResponses.ApplySecurityHeaders(context.Response);
        if (await guard.AllowAsync(context, isPage).ConfigureAwait(false))
        {
            await handler(context).ConfigureAwait(false);
        }
    };
}
