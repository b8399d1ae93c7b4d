using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Maran.Instrument.Audit;
using Maran.Instrument.Configuration;
using Microsoft.AspNetCore.Http;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// Decides who may see the dashboard and what they may change, on every page, asset, API and WebSocket request.
/// With access tokens: the request carries one as <c>Authorization: Bearer</c>, as the cookie the page sets, or
/// (pages only) as <c>?t=</c>, which is swapped for the cookie by a redirect; a viewer's token reads everything, and
/// every request that is not a read (any method but GET, HEAD and OPTIONS) needs an operator's. Failed
/// authentications are counted and limited per client address (<see cref="AuthFailureLimiter"/>: 429 with
/// <c>Retry-After</c>). Without a token: only this machine, by a loopback connection naming a loopback host (so a web
/// page elsewhere cannot reach it by DNS rebinding), with every right.
/// A change must also pass <see cref="AllowChangeAsync"/>: JSON from the dashboard's own origin carrying the
/// CSRF token, which only the dashboard's own page can read.
/// With the audit trail on (<c>production.security.audit_all_operations</c>), every refusal for a credential and every
/// change that went through is recorded there, with the client's address and the route, never a secret.
/// </summary>
internal sealed class AccessGuard
{
    /// <summary>The audit reason of a request from another machine while no token is set.</summary>
    internal const string NotLoopback = "not_loopback";

    /// <summary>The audit reason of a change asked for with a viewer's token.</summary>
    internal const string ViewerRole = "viewer_role";

    /// <summary>The header in which a change carries the CSRF token.</summary>
    internal const string CsrfHeader = "X-Maran-Csrf";

    /// <summary>The caller of a request on this machine when no token is set: every right.</summary>
    internal static readonly DashboardCredential Local = new("local", DashboardRole.Operator, RandomNumberGenerator.GetHexString(32));

    private static readonly object s_callerKey = new();
    private static readonly object s_changeKey = new();
    private static readonly object s_failureKey = new();

    private readonly IReadOnlyList<DashboardCredential> _credentials;
    private readonly byte[] _csrfHash;
    private readonly string _cookieName;
    private readonly string _cookiePath;
    private readonly AuthFailureLimiter _limiter;

    public AccessGuard(IReadOnlyList<DashboardCredential> credentials, string cookieName, string cookiePath, AuthFailureLimiter limiter, AuthFailures failures)
    {
        _credentials = credentials;
        _cookieName = cookieName;
        _cookiePath = cookiePath;
        _limiter = limiter;
        Failures = failures;
        CsrfToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _csrfHash = DashboardCredential.Hash(CsrfToken);
    }

    /// <summary>Whether API problems carry the exception text of a failure (<c>production.debug_mode</c>).</summary>
    public bool DebugMode { get; init; }

    /// <summary>Whether only requests that arrived over HTTPS are served (<c>production.ssl_enabled</c> when mounted in an app).</summary>
    public bool RequireHttps { get; init; }

    /// <summary>The audit trail that hears authentication failures and dashboard writes (does nothing while it is off).</summary>
    public AuditTrail? Audit { get; init; }

    /// <summary>The failed authentications so far.</summary>
    public AuthFailures Failures { get; }

    /// <summary>Whether access needs a token (one is configured).</summary>
    public bool HasTokens => _credentials.Count > 0;

    /// <summary>Who made <paramref name="context"/>'s request, once the guard let it through: a token, or <see cref="Local"/>.</summary>
    public static DashboardCredential? Caller(HttpContext context) => context.Items.TryGetValue(s_callerKey, out object? caller) ? caller as DashboardCredential : null;

    /// <summary>Whether <paramref name="method"/> only reads: GET, HEAD and OPTIONS (and CONNECT, which opens the live WebSocket over HTTP/2).</summary>
    public static bool IsRead(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsConnect(method);

    /// <summary>
    /// The token a change must carry in <see cref="CsrfHeader"/>: random for each start, handed out by
    /// <c>GET api/session</c>, which another site's page can neither read (no CORS) nor reach by name (host check).
    /// </summary>
    public string CsrfToken { get; }

    /// <summary>
    /// Lets the request through (true), or answers it (false): 401 without a valid token, 429 while the address has
    /// failed too often, 403 for a viewer's change or from another machine when no token is set, a redirect when a
    /// page was opened with <c>?t=</c>.
    /// </summary>
    public async Task<bool> AllowAsync(HttpContext context, bool isPage)
    {
        bool allowed = await CheckAsync(context, isPage).ConfigureAwait(false);
        if (!allowed && context.Items.TryGetValue(s_failureKey, out object? reason) && reason is string why && Audit is { IsEnabled: true } audit)
        {
            audit.RecordAuthenticationFailure(Client(context), Route(context), why);
        }

        return allowed;
    }

    /// <summary>
    /// Describes what the change being answered changed, for its audit record (<c>silence alertname=HighCpu</c>); the
    /// route alone is recorded when a handler says nothing.
    /// </summary>
    public static void DescribeChange(HttpContext context, string change) => context.Items[s_changeKey] = change;

    /// <summary>Records the change <paramref name="context"/> answered in the audit trail: who (the token's name), the route, what, the status.</summary>
    public void RecordChange(HttpContext context)
    {
        if (Audit is { IsEnabled: true } audit)
        {
            DashboardCredential caller = Caller(context) ?? Local;
            audit.RecordDashboardWrite(caller.Name, Route(context), context.Items.TryGetValue(s_changeKey, out object? change) ? change as string : null,
                context.Response.StatusCode, Client(context));
        }
    }

    private static string? Client(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString() : null;

    // The method and path, never the query string: a page may be opened with its token in ?t=.
    private static string Route(HttpContext context) => string.Concat(context.Request.Method, " ", context.Request.PathBase, context.Request.Path);

    // Why the request was refused for its credential, for the audit: an AuthFailures reason, NotLoopback or ViewerRole.
    private static void Failed(HttpContext context, string reason) => context.Items[s_failureKey] = reason;

    private async Task<bool> CheckAsync(HttpContext context, bool isPage)
    {
        if (RequireHttps && !context.Request.IsHttps)
        {
            await DashboardResponses.ProblemAsync(context, StatusCodes.Status403Forbidden, "HTTPS is required",
                "The dashboard is served over HTTPS only (production.ssl_enabled).").ConfigureAwait(false);
            return false;
        }

        if (_credentials.Count == 0)
        {
            if (IsLocal(context))
            {
                context.Items[s_callerKey] = Local;
                return true;
            }

            Failed(context, NotLoopback);
            await DashboardResponses.ProblemAsync(
                context,
                StatusCodes.Status403Forbidden,
                "Only this machine",
                "The Maran dashboard answers only this machine (a loopback address and host name) unless an access token is set (dashboard.token, MARAN_DASHBOARD_TOKEN, dashboard.tokens).").ConfigureAwait(false);
            return false;
        }

        IPAddress? address = context.Connection.RemoteIpAddress;
        if (_limiter.RetryAfter(address) is { } wait)
        {
            Failures.Count(AuthFailures.RateLimited);
            Failed(context, AuthFailures.RateLimited);
            long seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await DashboardResponses.ProblemAsync(
                context,
                StatusCodes.Status429TooManyRequests,
                "Too many failed authentications",
                string.Create(CultureInfo.InvariantCulture, $"This address failed to authenticate too often: try again in {seconds} s (dashboard.auth_failure_limit, dashboard.auth_failure_window).")).ConfigureAwait(false);
            return false;
        }

        string? bearer = BearerToken(context.Request);
        string? cookie = context.Request.Cookies[_cookieName];
        if ((DashboardCredential.Find(_credentials, bearer) ?? DashboardCredential.Find(_credentials, cookie)) is { } caller)
        {
            context.Items[s_callerKey] = caller;
            return await AllowRoleAsync(context, caller).ConfigureAwait(false);
        }

        string? fromQuery = context.Request.Query["t"];
        if (isPage && DashboardCredential.Find(_credentials, fromQuery) is not null)
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

        bool presented = bearer is { Length: > 0 } || cookie is { Length: > 0 } || fromQuery is { Length: > 0 };
        string failure = presented ? AuthFailures.Invalid : AuthFailures.Missing;
        Failures.Count(failure);
        Failed(context, failure);
        _limiter.Failed(address);
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await DashboardResponses.ProblemAsync(
            context,
            StatusCodes.Status401Unauthorized,
            "An access token is needed",
            "This dashboard needs its access token: open the address it printed when it started (it ends in ?t=...), or send 'Authorization: Bearer <token>'.").ConfigureAwait(false);
        return false;
    }

    /// <summary>A request that is not a read needs an operator's token; a viewer's is answered 403.</summary>
    private static async Task<bool> AllowRoleAsync(HttpContext context, DashboardCredential caller)
    {
        if (caller.Role == DashboardRole.Operator || IsRead(context.Request.Method))
        {
            return true;
        }

        Failed(context, ViewerRole);

        await DashboardResponses.ProblemAsync(
            context,
            StatusCodes.Status403Forbidden,
            "An operator's token is needed",
            $"The token '{caller.Name}' has the viewer role, which reads everything and changes nothing: {context.Request.Method} needs a token with the operator role (dashboard.tokens).").ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// Lets a change (POST) through (true), or answers it (false). Beyond <see cref="AllowAsync"/>, it must come from
    /// the dashboard's own origin (<c>Origin</c>, <c>Sec-Fetch-Site</c>), be JSON (which a plain HTML form cannot
    /// send), and carry the CSRF token, unless it carries the access token as <c>Authorization: Bearer</c>, which a
    /// browser never adds on its own.
    /// </summary>
    public async Task<bool> AllowChangeAsync(HttpContext context)
    {
        if (!await AllowAsync(context, isPage: false).ConfigureAwait(false))
        {
            return false;
        }

        (int Status, string Message)? refusal = CheckChange(context);
        if (refusal is { } r)
        {
            await DashboardResponses.ErrorAsync(context, r.Status, r.Message).ConfigureAwait(false);
            return false;
        }

        return true;
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

    private (int, string)? CheckChange(HttpContext context)
    {
        HttpRequest request = context.Request;
        if (!IsSameOrigin(context))
        {
            return (StatusCodes.Status403Forbidden, "Changes are accepted only from the dashboard's own page (Origin does not match).");
        }

        string? site = request.Headers["Sec-Fetch-Site"];
        if (site is { Length: > 0 } && site is not ("same-origin" or "none"))
        {
            return (StatusCodes.Status403Forbidden, $"Changes are accepted only from the dashboard's own page (Sec-Fetch-Site: {site}).");
        }

        if (!IsJson(request.ContentType))
        {
            return (StatusCodes.Status415UnsupportedMediaType, "Send changes as JSON (Content-Type: application/json).");
        }

        if (DashboardCredential.Find(_credentials, BearerToken(request)) is not null)
        {
            return null;
        }

        string? csrf = request.Headers[CsrfHeader];
        return csrf is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(DashboardCredential.Hash(csrf), _csrfHash)
            ? null
            : (StatusCodes.Status403Forbidden, $"The change lacks the dashboard's CSRF token: send the one GET api/session gives in the {CsrfHeader} header.");
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null
        && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && string.Equals(media.MediaType.Value, "application/json", StringComparison.OrdinalIgnoreCase);

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
}
