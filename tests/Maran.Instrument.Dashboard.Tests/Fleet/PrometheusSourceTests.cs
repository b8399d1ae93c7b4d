using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Maran.Instrument.Configuration;
using Maran.Instrument.Export;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>The dashboard with <c>dashboard.source: prometheus</c> when Prometheus does not answer, and the process dashboard's refusals of the fleet's parameters.</summary>
public sealed class PrometheusSourceTests
{
    [Fact]
    public async Task A_fleet_dashboard_whose_prometheus_does_not_answer_says_so_and_lists_no_instance()
    {
        string closed = $"http://127.0.0.1:{ClosedPort()}/";
        await using TestDashboard server = await TestDashboard.StartAsync(o =>
        {
            o.Dashboard.Source = DashboardSource.Prometheus;
            o.Dashboard.PrometheusUrl = closed;
        });

        JsonElement overview = await server.GetJsonAsync("api/overview");

        Assert.Empty(overview.GetProperty("instances").EnumerateArray());
        Assert.Contains($"Prometheus at {closed} did not answer", overview.GetProperty("sourceProblem").GetString(), StringComparison.Ordinal);
        Assert.False(overview.GetProperty("running").GetBoolean());
        Assert.Equal(0, overview.GetProperty("totalCalls").GetInt64());
    }

    [Fact]
    public async Task A_fleet_dashboard_points_logs_traces_and_alerts_to_where_they_are_kept()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o =>
        {
            o.Dashboard.Source = DashboardSource.Prometheus;
            o.Dashboard.PrometheusUrl = $"http://127.0.0.1:{ClosedPort()}/";
        });

        JsonElement sections = await server.GetJsonAsync("api/sections");
        JsonElement logs = await server.GetJsonAsync("api/logs");
        JsonElement traces = await server.GetJsonAsync("api/traces");
        JsonElement alerts = await server.GetJsonAsync("api/alerts");

        Assert.Contains("own dashboard", logs.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT", traces.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("maran prometheus rules", alerts.GetProperty("message").GetString(), StringComparison.Ordinal);
        string[] elsewhere = [.. sections.EnumerateArray().Where(static s => !s.GetProperty("available").GetBoolean()).Select(static s => s.GetProperty("name").GetString()!)];
        Assert.Equal(["logs", "alerts", "agents", "traces"], elsewhere);
    }

    [Fact]
    public async Task A_process_dashboard_refuses_a_moment_and_an_instance_it_cannot_show()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();

        using HttpResponseMessage time = await server.Http.GetAsync("api/overview?time=1767225600");
        using HttpResponseMessage instance = await server.Http.GetAsync("api/performance?instance=10.0.0.7:9090");

        Assert.Equal(HttpStatusCode.BadRequest, time.StatusCode);
        Assert.Contains("dashboard.source: prometheus", await time.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, instance.StatusCode);
        Assert.Contains("this dashboard shows one process", await instance.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_live_hello_carries_the_process_identity_for_the_header()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o =>
        {
            o.Monitoring.Service = "support-agent";
            o.Monitoring.Instance = "replica-7";
            o.Monitoring.Environment = "staging";
        });
        ServiceIdentity identity = server.System.Identity;
        using System.Net.WebSockets.ClientWebSocket socket = await server.ConnectAsync();

        byte[] buffer = new byte[64 * 1024];
        System.Net.WebSockets.WebSocketReceiveResult received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        using JsonDocument hello = JsonDocument.Parse(buffer.AsMemory(0, received.Count));

        JsonElement shown = hello.RootElement.GetProperty("identity");
        Assert.Equal("process", shown.GetProperty("source").GetString());
        Assert.Equal(identity.ServiceName, shown.GetProperty("service").GetString());
        Assert.Equal(identity.InstanceId, shown.GetProperty("instance").GetString());
        Assert.Equal(identity.Environment, shown.GetProperty("environment").GetString());
    }

    /// <summary>A port nothing listens on: bound, read and released.</summary>
    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
