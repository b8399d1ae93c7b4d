using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.WebSockets;
using Maran.Instrument.Configuration;

namespace Maran.Instrument.Dashboard.Tests;

public class AccessTests
{
    private const string Token = "correct-horse-battery-staple";

    [Theory]
    [InlineData("")]
    [InlineData("api/overview")]
    [InlineData("api/performance")]
    [InlineData("api/trends")]
    [InlineData("assets/js/app.js")]
    public async Task With_a_token_set_every_request_without_it_is_refused(string path)
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o => o.Dashboard.Token = Token);
        using var anonymous = new HttpClient { BaseAddress = server.Url };

        using HttpResponseMessage response = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("access token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_token_is_refused_and_the_right_one_accepted()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o => o.Dashboard.Token = Token);
        using var client = new HttpClient { BaseAddress = server.Url };

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token + "x");
        using HttpResponseMessage wrong = await client.GetAsync("api/overview");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using HttpResponseMessage right = await client.GetAsync("api/overview");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task Opening_the_page_with_the_token_swaps_it_for_a_strict_http_only_cookie()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o => o.Dashboard.Token = Token);
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.Url };

        using HttpResponseMessage login = await client.GetAsync("?t=" + Token);
        using HttpResponseMessage api = await client.GetAsync("api/overview");

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", login.Headers.Location!.OriginalString);
        string setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task A_websocket_without_the_token_is_refused()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o => o.Dashboard.Token = Token);
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri(server.Url, "ws").ToWebSocketUri(), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    [Fact]
    public async Task A_websocket_opened_from_another_site_is_refused()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", "http://evil.example");

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri(server.Url, "ws").ToWebSocketUri(), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Fact]
    public async Task Without_a_token_a_request_naming_another_host_is_refused()
    {
        // A page on another site whose name was re-pointed at 127.0.0.1 (DNS rebinding) sends its own host name.
        await using TestDashboard server = await TestDashboard.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Url, "api/overview"));
        request.Headers.Host = "evil.example";

        using HttpResponseMessage response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Listening_beyond_loopback_generates_a_token_printed_once_and_requires_it()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o => o.Dashboard.Host = "0.0.0.0");
        string token = server.Dashboard.AccessToken!;
        var local = new Uri($"http://127.0.0.1:{server.Url.Port}/");
        using var anonymous = new HttpClient { BaseAddress = local };
        using var holder = new HttpClient { BaseAddress = local };
        holder.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using HttpResponseMessage refused = await anonymous.GetAsync("api/overview");
        using HttpResponseMessage allowed = await holder.GetAsync("api/overview");

        Assert.True(token.Length >= DashboardSettings.MinimumTokenLength);
        Assert.Equal(1, CountOf(server.Console.ToString(), token));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task A_generated_token_is_printed_with_an_address_a_browser_on_this_machine_can_open()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o => o.Dashboard.Host = "0.0.0.0");

        string printed = server.Console.ToString();

        Assert.Contains($"http://localhost:{server.Url.Port}/?t={server.Dashboard.AccessToken}", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("0.0.0.0:" + server.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/?t=", printed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("0.0.0.0")]
    public async Task A_configured_token_is_never_printed(string host)
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o =>
        {
            o.Dashboard.Host = host;
            o.Dashboard.Token = Token;
        });

        string printed = server.Console.ToString();

        Assert.Equal(Token, server.Dashboard.AccessToken);
        Assert.DoesNotContain(Token, printed, StringComparison.Ordinal);
        Assert.Contains("dashboard.token", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listening_beyond_loopback_without_a_token_is_refused_when_none_may_be_generated()
    {
        var system = new AdvancedMonitoringSystem(TestDashboard.Options(o =>
        {
            o.Dashboard.Host = "0.0.0.0";
            o.Dashboard.GenerateToken = false;
        }));
        await using var dashboard = new MonitoringDashboard(system);

        DashboardStartException refused = await Assert.ThrowsAsync<DashboardStartException>(() => dashboard.StartAsync());

        Assert.Contains("0.0.0.0", refused.Message, StringComparison.Ordinal);
        Assert.Contains("dashboard.token", refused.Message, StringComparison.Ordinal);
        Assert.Contains("MARAN_DASHBOARD_TOKEN", refused.Message, StringComparison.Ordinal);
        Assert.Null(dashboard.Url);
    }

    [Fact]
    public async Task A_token_shorter_than_sixteen_characters_is_refused_without_showing_it()
    {
        var system = new AdvancedMonitoringSystem(TestDashboard.Options(o => o.Dashboard.Token = "short-secret"));
        await using var dashboard = new MonitoringDashboard(system);

        DashboardStartException refused = await Assert.ThrowsAsync<DashboardStartException>(() => dashboard.StartAsync());

        Assert.Contains("dashboard.token", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("short-secret", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_reported_with_the_port_and_the_setting()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var system = new AdvancedMonitoringSystem(TestDashboard.Options(o => o.Monitoring.DashboardPort = port));
        await using var dashboard = new MonitoringDashboard(system);

        DashboardStartException refused = await Assert.ThrowsAsync<DashboardStartException>(() => dashboard.StartAsync());

        Assert.Contains($"port {port} is already in use", refused.Message, StringComparison.Ordinal);
        Assert.Contains("monitoring.dashboard_port", refused.Message, StringComparison.Ordinal);
        Assert.Contains("MARAN_DASHBOARD_PORT", refused.Message, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string value)
    {
        int count = 0;
        for (int i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
