using System.Net;
using System.Text.Json;
using Maran.Instrument.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>production.debug_mode: off, API problems keep exceptions to themselves; on, they carry them, logging is DEBUG and /api/debug/status answers a token holder.</summary>
public class DebugModeTests
{
    private const string Token = "a-token-for-the-debug-status";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failure_is_a_problem_that_carries_the_exception_text_only_in_debug_mode(bool debugMode)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRouting();
        await using WebApplication app = builder.Build();
        DashboardPipeline.Use(app, debugMode);
        app.MapGet("/fails", _ => throw new InvalidTimeZoneException("a failure with a secret in it"));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using HttpResponseMessage response = await http.GetAsync("fails");
        string body = await response.Content.ReadAsStringAsync();
        JsonElement problem = JsonDocument.Parse(body).RootElement;

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(500, problem.GetProperty("status").GetInt32());
        Assert.Equal(debugMode, body.Contains("a failure with a secret in it", StringComparison.Ordinal));
        Assert.Equal(debugMode, problem.TryGetProperty("exception", out JsonElement exception) && exception.GetString()!.Contains(nameof(InvalidTimeZoneException), StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_api_error_is_a_problem_body()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();

        using HttpResponseMessage response = await server.Http.GetAsync("api/no-such-section");
        JsonElement problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Equal("No such section.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task In_debug_mode_the_debug_status_returns_the_dashboard_data_to_a_token_holder()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o =>
        {
            o.Production = new ProductionSettings { DebugMode = true };
            o.Dashboard.Token = Token;
        });
        server.System.Profiler.EndOperation(server.System.Profiler.StartOperation("debug-status-probe", "tests"));

        JsonElement status = await server.GetJsonAsync("api/debug/status");

        Assert.True(status.TryGetProperty("performance", out JsonElement performance));
        Assert.Contains(performance.GetProperty("operations").EnumerateArray(), o => o.GetProperty("name").GetString() == "debug-status-probe");
        Assert.True(status.TryGetProperty("internal", out _));
    }

    [Fact]
    public async Task The_debug_status_needs_a_token_even_on_loopback()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o => o.Production = new ProductionSettings { DebugMode = true });

        using HttpResponseMessage response = await server.Http.GetAsync("api/debug/status");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Without_debug_mode_there_is_no_debug_status()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o =>
        {
            o.Production = new ProductionSettings();
            o.Dashboard.Token = Token;
        });

        using HttpResponseMessage response = await server.Http.GetAsync("api/debug/status");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void Debug_mode_logs_at_debug_whatever_the_log_level_says()
    {
        var options = new MonitoringOptions();
        options.Monitoring.LogLevel = MonitoringLogLevel.Warning;
        MonitoringLogLevel before = options.EffectiveLogLevel;

        options.Production = new ProductionSettings { DebugMode = true };

        Assert.Equal(MonitoringLogLevel.Warning, before);
        Assert.Equal(MonitoringLogLevel.Debug, options.EffectiveLogLevel);
    }
}
