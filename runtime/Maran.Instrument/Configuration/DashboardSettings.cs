using System.Net;
using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>
/// The <c>dashboard:</c> section: where the live dashboard listens, who may see it, and how much history it keeps.
/// Its port is <see cref="MonitoringSettings.DashboardPort"/> (<c>monitoring.dashboard_port</c>).
/// </summary>
public sealed class DashboardSettings
{
    /// <summary>Shortest access token accepted, in characters.</summary>
    public const int MinimumTokenLength = 16;

    /// <summary>
    /// Address the dashboard listens on (<c>MARAN_DASHBOARD_HOST</c>): <c>127.0.0.1</c> by default. Any address other than
    /// loopback lets other machines reach it, so it then requires an access token.
    /// </summary>
    [ConfigurationKeyName("host")]
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>
    /// Access token every page, API and WebSocket request must carry when the dashboard is reachable from other machines
    /// (<c>MARAN_DASHBOARD_TOKEN</c>); at least 16 characters. When set, it is required on loopback too.
    /// </summary>
    [ConfigurationKeyName("token")]
    public string? Token { get; set; }

    /// <summary>
    /// Named access tokens, each with a role (<c>viewer</c> or <c>operator</c>) and its secret from an environment variable
    /// or a file; see <see cref="DashboardTokenSettings"/>. <see cref="Token"/>, when set too, is one more operator token.
    /// </summary>
    [ConfigurationKeyName("tokens")]
    public List<DashboardTokenSettings> Tokens { get; set; } = [];

    /// <summary>
    /// Failed authentications one client address may make in <see cref="AuthFailureWindow"/> (default 10, 1 to 10,000);
    /// past them its requests are answered 429 with <c>Retry-After</c> until the window lets one more through.
    /// </summary>
    [ConfigurationKeyName("auth_failure_limit")]
    public int AuthFailureLimit { get; set; } = 10;

    /// <summary>The window of <see cref="AuthFailureLimit"/> (default 1m, 1s to 1d): an address regains one attempt every window / limit.</summary>
    [ConfigurationKeyName("auth_failure_window")]
    public TimeSpan AuthFailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether a dashboard bound beyond loopback without <see cref="Token"/> generates one and prints it once at start.
    /// When false it refuses to start instead.
    /// </summary>
    [ConfigurationKeyName("generate_token")]
    public bool GenerateToken { get; set; } = true;

    /// <summary>Minutes of per-second trends kept (default 10). Memory is bounded by this and <see cref="TrendOperations"/>.</summary>
    [ConfigurationKeyName("trend_minutes")]
    public int TrendMinutes { get; set; } = 10;

    /// <summary>Operations that keep their own trend at most (the busiest ones; default 200). Totals are kept for all.</summary>
    [ConfigurationKeyName("trend_operations")]
    public int TrendOperations { get; set; } = 200;

    /// <summary>Whether the dashboard collects recent traces from the <c>Maran.Instrument</c> spans while it runs.</summary>
    [ConfigurationKeyName("traces")]
    public bool Traces { get; set; } = true;

    /// <summary>Recent traces kept at most (default 100); the oldest goes first.</summary>
    [ConfigurationKeyName("max_traces")]
    public int MaxTraces { get; set; } = 100;

    /// <summary>New traces collected per second at most (default 10, up to 10,000), so tracing costs little under load.</summary>
    [ConfigurationKeyName("traces_per_second")]
    public double TracesPerSecond { get; set; } = 10;

    /// <summary>Live (WebSocket) clients served at once at most (default 100); further ones are refused.</summary>
    [ConfigurationKeyName("max_clients")]
    public int MaxClients { get; set; } = 100;

    /// <summary>
    /// Where the numbers come from (<c>dashboard.source</c>): <see cref="DashboardSource.Process"/>, this process, by
    /// default; <see cref="DashboardSource.Prometheus"/> reads them from <see cref="PrometheusUrl"/> across every instance.
    /// </summary>
    [ConfigurationKeyName("source")]
    public DashboardSource Source { get; set; } = DashboardSource.Process;

    /// <summary>
    /// The Prometheus server read under <see cref="DashboardSource.Prometheus"/> (<c>dashboard.prometheus_url</c>): an
    /// absolute <c>http</c> or <c>https</c> address such as <c>http://prometheus:9090/</c>, without query or fragment.
    /// </summary>
    [ConfigurationKeyName("prometheus_url")]
    public string? PrometheusUrl { get; set; }

    /// <summary>Whether <see cref="Host"/> is a loopback address or <c>localhost</c>.</summary>
    public bool IsLoopback =>
        string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(Host, out IPAddress? address) && IPAddress.IsLoopback(address));

    internal void Validate(OptionsBinder binder, string prefix, bool production = false)
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            binder.Error($"{prefix}:host", Host, "the host must be an IP address or localhost (use 0.0.0.0 for every address)");
        }
        else if (!string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(Host, out _))
        {
            binder.Error($"{prefix}:host", Host, "the host must be an IP address or localhost (use 0.0.0.0 for every address)");
        }

        if (Token is { } token && token.Length < MinimumTokenLength)
        {
            binder.Error($"{prefix}:token", token, $"an access token must be at least {MinimumTokenLength} characters", secret: true);
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < Tokens.Count; i++)
        {
            DashboardTokenSettings item = Tokens[i];
            item.Validate(binder, $"{prefix}:tokens:{i}", production);
            if (item.Name is { Length: > 0 } name && !names.Add(name))
            {
                binder.Error($"{prefix}:tokens:{i}:name", name, "another dashboard token has this name: each name must be unique");
            }
        }

        if (production && Token is { Length: > 0 } && binder.IsSetInFile($"{prefix}:token"))
        {
            binder.Error($"{prefix}:token", Token, "a token may not be written inline in the configuration file when it has a production section: set MARAN_DASHBOARD_TOKEN, or list the token under dashboard.tokens with token_env or token_file", secret: true);
        }

        if (Source == DashboardSource.Prometheus && PrometheusUrl is null)
        {
            binder.Error($"{prefix}:prometheus_url", string.Empty, "dashboard.source: prometheus needs the Prometheus server's address (http://host:9090/)");
        }

        if (PrometheusUrl is { } url && CheckPrometheusUrl(url) is { } problem)
        {
            binder.Error($"{prefix}:prometheus_url", url, problem, secret: url.Contains('@', StringComparison.Ordinal));
        }

        CheckRange(binder, $"{prefix}:auth_failure_limit", AuthFailureLimit, 1, 10_000, "failed authentications allowed");
        binder.CheckDuration($"{prefix}:auth_failure_window", AuthFailureWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), "the failed authentication window", minIncluded: true);
        CheckRange(binder, $"{prefix}:trend_minutes", TrendMinutes, 1, 24 * 60, "minutes of trend");
        CheckRange(binder, $"{prefix}:trend_operations", TrendOperations, 0, 10_000, "operations with a trend");
        CheckRange(binder, $"{prefix}:max_traces", MaxTraces, 1, 10_000, "traces");
        CheckRange(binder, $"{prefix}:max_clients", MaxClients, 1, 10_000, "live clients");
        binder.CheckRange($"{prefix}:traces_per_second", TracesPerSecond, 0, 10_000, "the trace rate per second");
    }

    /// <summary>Why <paramref name="url"/> is not a Prometheus server's address, or null when it is one.</summary>
    internal static string? CheckPrometheusUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.IsFile || uri.IsUnc)
        {
            return "the Prometheus address must be an absolute http or https URL (http://host:9090/)";
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return $"the Prometheus address must use http or https, not {uri.Scheme}";
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return "the Prometheus address may not carry a query or a fragment: give the server's base address";
        }

        return uri.UserInfo.Length > 0
            ? "the Prometheus address may not carry a user name or password: put the server behind a proxy that adds them"
            : null;
    }

    private static void CheckRange(OptionsBinder binder, string key, int value, int min, int max, string what)
    {
        if (value < min || value > max)
        {
            binder.Error(key, MonitoringSettings.Format(value), $"the number of {what} must be between {min} and {max}");
        }
    }
}
