using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Maran.Instrument.Dashboard.Tests;

public sealed class MountTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private AdvancedMonitoringSystem _system = null!;
    private HttpClient _http = null!;
    private Uri _root = null!;

    public async Task InitializeAsync()
    {
        _system = new AdvancedMonitoringSystem(TestDashboard.Options());
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/hello", () => "the app's own page");
        _app.MapMaranDashboard("/ops/maran", _system);
        await _app.StartAsync();
        _root = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _root };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _system.Dispose();
    }

    [Fact]
    public async Task The_prefix_without_its_slash_redirects_to_the_page()
    {
        using HttpResponseMessage response = await _http.GetAsync("ops/maran");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/ops/maran/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_page_and_the_api_are_served_under_the_prefix_beside_the_app()
    {
        string page = await _http.GetStringAsync("ops/maran/");
        JsonElement overview = JsonDocument.Parse(await _http.GetStringAsync("ops/maran/api/overview")).RootElement;
        string own = await _http.GetStringAsync("hello");

        Assert.Contains("assets/js/app.js", page, StringComparison.Ordinal);
        Assert.True(overview.TryGetProperty("totalCalls", out _));
        Assert.Equal("the app's own page", own);
    }

    [Fact]
    public async Task Live_updates_work_although_the_app_never_called_UseWebSockets()
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(_root, "ops/maran/ws").ToWebSocketUri(), CancellationToken.None);

        JsonElement hello = await socket.ReceiveJsonAsync();

        Assert.Equal("hello", hello.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_silence_can_be_set_under_the_prefix_with_the_csrf_token()
    {
        string csrf = JsonDocument.Parse(await _http.GetStringAsync("ops/maran/api/session")).RootElement.GetProperty("csrf").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "ops/maran/api/alerts/silences")
        {
            Content = new StringContent("""{"matchers":{"alertname":"Anything"},"minutes":5}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Maran-Csrf", csrf);

        using HttpResponseMessage response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Anything", Assert.Single(_system.Alerts.GetSilences()).Matchers["alertname"]);
    }

    [Fact]
    public async Task Security_headers_are_set_on_the_dashboard_only()
    {
        using HttpResponseMessage dashboard = await _http.GetAsync("ops/maran/api/overview");
        using HttpResponseMessage app = await _http.GetAsync("hello");

        Assert.True(dashboard.Headers.Contains("Content-Security-Policy"));
        Assert.False(app.Headers.Contains("Content-Security-Policy"));
    }
}
