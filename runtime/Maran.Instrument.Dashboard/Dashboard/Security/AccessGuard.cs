using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// Decides who may see the dashboard, on every page, asset, API and WebSocket request.
/// With an access token: the request carries it as <c>Authorization: Bearer</c>, as the cookie the page sets, or
/// (pages only) as <c>?t=</c>, which is swapped for the cookie by a redirect. Without one: only this machine, by a
/// loopback connection naming a loopback host (so a web page elsewhere cannot reach it by DNS rebinding).
/// </summary>
internal sealed class AccessGuard
{
    private readonly byte[]? _tokenHash;
    private readonly string _cookieName;
    private readonly string _cookiePath;

    public AccessGuard(string? token, string cookieName, string cookiePath)
    {
        _tokenHash = token is null ? null : Hash(token);
        _cookieName = cookieName;
        _cookiePath = cookiePath;
    }

    /// <summary>
    /// Lets the request through (true), or answers it (false): 401 without a valid token, 403 from another machine
    /// when no token is set, a redirect when a page was opened with <c>?t=</c>.
    /// </summary>
    public async Task<bool> AllowAsync(HttpContext context, bool isPage)
    {
        if (_tokenHash is null)
        {
            if (IsLocal(context))
            {
                return true;
            }

            await DashboardResponses.TextAsync(
                context,
                StatusCodes.Status403Forbidden,
                "The Maran dashboard answers only this machine (a loopback address and host name) unless an access token is set (dashboard.token, MARAN_DASHBOARD_TOKEN).").ConfigureAwait(false);
            return false;
        }

        if (Matches(BearerToken(context.Request)) || Matches(context.Request.Cookies[_cookieName]))
        {
            return true;
        }

        string? fromQuery = context.Request.Query["t"];
        if (isPage && Matches(fromQuery))
        {
            context.Response.Cookies.Append(_cookieName, fromQuery!, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = _cookiePath,
                IsEssential = true,
            });
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Redirect(string.Concat(context.Request.PathBase, context.Request.Path));
            return false;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        await DashboardResponses.TextAsync(
            context,
            StatusCodes.Status401Unauthorized,
            "This dashboard needs its access token: open the address it printed when it started (it ends in ?t=...), or send 'Authorization: Bearer <token>'.").ConfigureAwait(false);
        return false;
    }

    /// <summary>A WebSocket opened by a page must come from the dashboard's own origin (no cross-site WebSocket hijacking).</summary>
    public static bool IsSameOrigin(HttpContext context)
    {
        string? origin = context.Request.Headers.Origin;
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out Uri? uri)
            && string.Equals(uri.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Scheme, context.Request.Scheme, StringComparison.OrdinalIgnoreCase);
    }

    private bool Matches(string? candidate) =>
        candidate is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Hash(candidate), _tokenHash);

    private static string? BearerToken(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        return header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    private static bool IsLocal(HttpContext context)
    {
        IPAddress? remote = context.Connection.RemoteIpAddress;
        if (remote is null || !IPAddress.IsLoopback(remote))
        {
            return false;
        }

        string host = context.Request.Host.Host;
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out IPAddress? address) && IPAddress.IsLoopback(address));
    }

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
