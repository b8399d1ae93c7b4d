using System.Net;
using System.Net.Http.Headers;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>The standalone dashboard serves the Prometheus metrics on its own port, behind its own access rules.</summary>
public class MetricsTests
{
    private const string Token = "correct-horse-battery-staple";

    [Fact]
    public async Task The_dashboard_port_serves_the_prometheus_metrics_of_its_monitoring_system()
    {
        // Other tests register thousands of operations in this process; the limit is raised so this one is published.
        await using TestDashboard server = await TestDashboard.StartAsync(o => o.Monitoring.MetricsMaxOperations = 1_000_000);
        string name = "metrics_" + Guid.NewGuid().ToString("N")[..8];
        server.System.Profiler.EndOperation(server.System.Profiler.StartOperation(name, "scraped"));

        using HttpResponseMessage response = await server.Http.GetAsync("metrics");
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        Assert.Contains($"operation_calls_total{{operation=\"{name}\",component=\"scraped\",kind=\"operation\",status=\"success\"}} 1", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_call_series_names_its_kind_agent_tool_model_call_or_operation()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o => o.Monitoring.MetricsMaxOperations = 1_000_000);
        string agent = AgentsSectionTests.Unique("scraped");
        await WeatherAgent.AskAsync(agent, "Oslo");

        string body = await server.Http.GetStringAsync("metrics");

        Assert.Contains($"operation_calls_total{{operation=\"{agent}\",component=\"agents\",kind=\"agent\",status=\"success\"}} 1", body, StringComparison.Ordinal);
        Assert.Contains("operation_calls_total{operation=\"weather\",component=\"tools\",kind=\"tool\",status=\"success\"}", body, StringComparison.Ordinal);
        Assert.Contains("operation_calls_total{operation=\"IChatClient.GetResponseAsync\",component=\"scripted\",kind=\"model_call\",status=\"success\"}", body, StringComparison.Ordinal);
        Assert.Contains("operation_duration_seconds_count{operation=\"weather_question\",component=\"dashboard-agents\",kind=\"operation\",status=\"success\"}", body, StringComparison.Ordinal);
        Assert.Contains($"operation_in_flight{{operation=\"{agent}\",component=\"agents\",kind=\"agent\"}} 0", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_token_set_metrics_need_it_and_prometheus_can_send_it_as_a_bearer_token()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o => o.Dashboard.Token = Token);
        using var anonymous = new HttpClient { BaseAddress = server.Url };
        using var prometheus = new HttpClient { BaseAddress = server.Url };
        prometheus.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        using HttpResponseMessage refused = await anonymous.GetAsync("metrics");
        using HttpResponseMessage scraped = await prometheus.GetAsync("metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.DoesNotContain("operation_calls_total", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("# TYPE operation_calls_total counter", await scraped.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_token_metrics_answer_only_a_request_naming_a_loopback_host()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Url, "metrics"));
        request.Headers.Host = "evil.example";

        using HttpResponseMessage response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
