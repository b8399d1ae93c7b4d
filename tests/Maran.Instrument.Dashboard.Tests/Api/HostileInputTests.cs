using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Maran.Instrument.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>One started dashboard, shared by the hostile requests below: none of them changes what it holds.</summary>
public sealed class HostileInputServer : IAsyncLifetime
{
    internal TestDashboard Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestDashboard.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class HostileInputTests(HostileInputServer fixture) : IClassFixture<HostileInputServer>
{
    private static readonly string[] Sections = ["overview", "performance", "health", "errors", "costs", "logs", "alerts", "agents", "traces"];

    private static readonly (string Parameter, string Value, long Min, long Max)[] OutOfRange =
    [
        ("page", "-1", 0, SectionQuery.MaxPage),
        ("page", "1000001", 0, SectionQuery.MaxPage),
        ("page", "first", 0, SectionQuery.MaxPage),
        ("size", "0", 1, SectionQuery.MaxSize),
        ("size", "201", 1, SectionQuery.MaxSize),
        ("before", "253402300800000", 1, SectionQuery.MaxBefore),
        ("before", "0", 1, SectionQuery.MaxBefore),
        ("before", "9223372036854775808", 1, SectionQuery.MaxBefore),
        ("hours", "0", 1, SectionQuery.MaxHours),
        ("hours", "721", 1, SectionQuery.MaxHours),
    ];

    private TestDashboard Server => fixture.Server;

    public static TheoryData<string, string, string, long, long> EveryOutOfRangeParameterOfEverySection()
    {
        var data = new TheoryData<string, string, string, long, long>();
        foreach (string section in Sections)
        {
            foreach ((string parameter, string value, long min, long max) in OutOfRange)
            {
                data.Add(section, parameter, value, min, max);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryOutOfRangeParameterOfEverySection))]
    public async Task An_out_of_range_number_is_a_400_problem_naming_the_parameter_and_its_range(string section, string parameter, string value, long min, long max)
    {
        using HttpResponseMessage response = await Server.Http.GetAsync($"api/{section}?{parameter}={value}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        AssertSecurityHeaders(response);
        JsonElement problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
        Assert.Equal($"a whole number from {min} to {max}", problem.GetProperty("allowed").GetString());
        Assert.Contains(value, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_latest_moment_a_date_can_hold_is_a_valid_before()
    {
        JsonElement logs = await Server.GetJsonAsync($"api/logs?before={SectionQuery.MaxBefore}");
        JsonElement alerts = await Server.GetJsonAsync($"api/alerts?before={SectionQuery.MaxBefore}");

        Assert.Equal(SectionQuery.MaxBefore, logs.GetProperty("before").GetInt64());
        Assert.Equal(JsonValueKind.Object, alerts.ValueKind);
    }

    [Theory]
    [InlineData("GET", "no/such/page", HttpStatusCode.NotFound)]
    [InlineData("GET", "api/no-such-section", HttpStatusCode.NotFound)]
    [InlineData("DELETE", "api/overview", HttpStatusCode.MethodNotAllowed)]
    [InlineData("POST", "api/sections", HttpStatusCode.MethodNotAllowed)]
    public async Task A_response_the_framework_writes_carries_the_security_headers(string method, string path, HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using HttpResponseMessage response = await Server.Http.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task A_twenty_kilobyte_address_is_a_414_with_the_security_headers()
    {
        using HttpResponseMessage response = await Server.Http.GetAsync("api/overview?q=" + new string('a', 20 * 1024));

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task A_sixty_four_kilobyte_header_is_a_431_with_the_security_headers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/overview");
        request.Headers.Add("X-Padding", new string('a', 64 * 1024));

        using HttpResponseMessage response = await Server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task A_live_view_with_an_out_of_range_number_gets_an_error_and_the_connection_stays_open()
    {
        using ClientWebSocket socket = await Server.ConnectAsync();

        await socket.SendJsonAsync("""{"type":"view","id":7,"section":"logs","before":253402300800000}""");
        JsonElement error = await ReceiveAsync(socket, "error");
        await socket.SendJsonAsync("""{"type":"view","id":8,"section":"logs","before":1}""");
        JsonElement view = await ReceiveAsync(socket, "view");

        Assert.Equal(7, error.GetProperty("id").GetInt32());
        Assert.Equal("before", error.GetProperty("parameter").GetString());
        Assert.Contains("253402300800000", error.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(8, view.GetProperty("id").GetInt32());
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task A_live_view_whose_number_no_integer_holds_gets_an_error_and_the_connection_stays_open()
    {
        using ClientWebSocket socket = await Server.ConnectAsync();

        await socket.SendJsonAsync("""{"type":"view","id":7,"section":"errors","hours":99999999999999999999}""");
        JsonElement error = await ReceiveAsync(socket, "error");
        await socket.SendJsonAsync("""{"type":"view","id":8,"section":"errors","hours":24}""");
        JsonElement view = await ReceiveAsync(socket, "view");

        Assert.Contains("not a view request", error.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(8, view.GetProperty("id").GetInt32());
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    internal static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal(DashboardResponses.ContentSecurityPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    /// <summary>Skips ticks until a message of <paramref name="type"/> comes.</summary>
    private static async Task<JsonElement> ReceiveAsync(WebSocket socket, string type)
    {
        while (true)
        {
            JsonElement message = await socket.ReceiveJsonAsync();
            if (message.GetProperty("type").GetString() == type)
            {
                return message;
            }
        }
    }
}

public sealed class FailingRequestTests
{
    [Fact]
    public async Task A_request_that_fails_inside_the_server_is_a_500_problem_with_the_headers_counted_as_an_internal_error()
    {
        // The dashboard server's own pipeline, on a real Kestrel, in front of a route that throws.
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRouting();
        await using WebApplication app = builder.Build();
        DashboardPipeline.Use(app);
        app.MapGet("/fails", _ => throw new InvalidTimeZoneException("a failure no one expected"));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        string kind = $"dashboard request ({nameof(InvalidTimeZoneException)})";
        long before = MonitoringDiagnostics.InternalErrors.GetValueOrDefault(kind);

        using HttpResponseMessage first = await http.GetAsync("fails");
        using HttpResponseMessage second = await http.GetAsync("fails");

        Assert.Equal(HttpStatusCode.InternalServerError, first.StatusCode);
        Assert.Equal("application/problem+json", first.Content.Headers.ContentType!.MediaType);
        HostileInputTests.AssertSecurityHeaders(first);
        JsonElement problem = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(500, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain("a failure no one expected", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.InternalServerError, second.StatusCode);
        Assert.Equal(before + 2, MonitoringDiagnostics.InternalErrors[kind]);
    }
}
