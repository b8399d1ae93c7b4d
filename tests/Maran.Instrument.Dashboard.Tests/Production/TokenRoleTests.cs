using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Maran.Instrument.Configuration;
using Microsoft.AspNetCore.Routing;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>Named tokens with roles: a viewer reads everything and changes nothing; an operator may change; secrets come from variables or files.</summary>
public sealed class TokenRoleTests : IDisposable
{
    private readonly string _viewerVariable = "MARAN_TEST_VIEWER_" + Guid.NewGuid().ToString("N");
    private readonly string _viewerSecret = "viewer-secret-" + Guid.NewGuid().ToString("N");
    private readonly string _operatorSecret = "operator-secret-" + Guid.NewGuid().ToString("N");
    private readonly string _operatorFile = Path.Combine(Path.GetTempPath(), "maran-token-" + Guid.NewGuid().ToString("N"));

    public TokenRoleTests()
    {
        Environment.SetEnvironmentVariable(_viewerVariable, _viewerSecret);
        File.WriteAllText(_operatorFile, _operatorSecret + "\n");
    }

    [Fact]
    public async Task A_viewer_is_refused_on_every_write_route_and_an_operator_is_let_through()
    {
        await using TestDashboard server = await StartAsync();
        List<(string Method, string Path)> writes = WriteRoutes(server).ToList();

        Assert.True(writes.Count >= 3, $"write routes found: {string.Join(", ", writes)}");
        foreach ((string method, string path) in writes)
        {
            using HttpResponseMessage viewer = await SendAsync(server, method, path, _viewerSecret);
            using HttpResponseMessage @operator = await SendAsync(server, method, path, _operatorSecret);

            Assert.True(viewer.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} as a viewer: {(int)viewer.StatusCode}");
            Assert.Contains("viewer role", await viewer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.True(@operator.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized), $"{method} {path} as an operator: {(int)@operator.StatusCode}");
        }
    }

    [Fact]
    public async Task A_viewer_reads_the_api_and_the_metrics()
    {
        await using TestDashboard server = await StartAsync();

        using HttpResponseMessage overview = await SendAsync(server, "GET", "api/overview", _viewerSecret);
        using HttpResponseMessage metrics = await SendAsync(server, "GET", "metrics", _viewerSecret);

        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }

    [Fact]
    public async Task A_silence_set_by_an_operator_names_its_token()
    {
        await using TestDashboard server = await StartAsync();

        using HttpResponseMessage response = await SendAsync(server, "POST", "api/alerts/silences", _operatorSecret, """{"matchers":{"alertname":"QueueBacklog"}}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains("token 'oncall'", Assert.Single(server.System.Alerts.GetSilences()).CreatedBy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_single_dashboard_token_is_an_operator_token_beside_the_named_ones()
    {
        const string Single = "the-single-operator-token";
        await using TestDashboard server = await StartAsync(o => o.Dashboard.Token = Single);

        using HttpResponseMessage response = await SendAsync(server, "POST", "api/alerts/silences", Single, """{"matchers":{"alertname":"QueueBacklog"}}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_token_whose_variable_is_not_set_stops_the_dashboard_naming_the_token_and_the_variable()
    {
        string unset = "MARAN_TEST_UNSET_" + Guid.NewGuid().ToString("N");
        var system = new AdvancedMonitoringSystem(TestDashboard.Options(o => o.Dashboard.Tokens.Add(new DashboardTokenSettings { Name = "grafana", TokenEnv = unset })));
        await using var dashboard = new MonitoringDashboard(system, TimeProvider.System, new StringWriter());

        DashboardStartException failure = await Assert.ThrowsAsync<DashboardStartException>(() => dashboard.StartAsync());

        Assert.Contains("dashboard.tokens[0] (grafana)", failure.Message, StringComparison.Ordinal);
        Assert.Contains(unset, failure.Message, StringComparison.Ordinal);
        system.Dispose();
    }

    [Fact]
    public void An_inline_token_is_rejected_when_the_configuration_has_a_production_section()
    {
        string file = WriteConfig("""
            production:
              debug_mode: false
            dashboard:
              tokens:
                - name: grafana
                  role: viewer
                  token: an-inline-secret-of-enough-length
            """);

        MonitoringConfigurationException failure = Assert.Throws<MonitoringConfigurationException>(() => MonitoringOptions.Load(file, new Dictionary<string, string>()));

        ConfigurationError error = Assert.Single(failure.Errors);
        Assert.Equal("dashboard.tokens.0.token", error.Key);
        Assert.Equal("(hidden)", error.Value);
        Assert.Contains("may not be written inline", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 7", error.Origin, StringComparison.Ordinal);
    }

    [Fact]
    public void An_inline_token_is_accepted_without_a_production_section()
    {
        string file = WriteConfig("""
            dashboard:
              tokens:
                - name: grafana
                  role: operator
                  token: an-inline-secret-of-enough-length
            """);

        MonitoringOptions options = MonitoringOptions.Load(file, new Dictionary<string, string>());

        Assert.Equal(DashboardRole.Operator, Assert.Single(options.Dashboard.Tokens).Role);
        Assert.Null(options.Production);
    }

    [Fact]
    public void The_single_token_written_in_the_file_is_rejected_under_production_but_not_from_its_variable()
    {
        string file = WriteConfig("""
            production:
              ssl_enabled: false
            dashboard:
              token: a-token-written-in-the-file
            """);
        string withoutToken = WriteConfig("""
            production:
              ssl_enabled: false
            """);

        MonitoringConfigurationException failure = Assert.Throws<MonitoringConfigurationException>(() => MonitoringOptions.Load(file, new Dictionary<string, string>()));
        MonitoringOptions fromVariable = MonitoringOptions.Load(withoutToken, new Dictionary<string, string> { ["MARAN_DASHBOARD_TOKEN"] = "a-token-from-the-environment" });

        Assert.Equal("dashboard.token", Assert.Single(failure.Errors).Key);
        Assert.Equal("a-token-from-the-environment", fromVariable.Dashboard.Token);
    }

    [Fact]
    public void A_role_other_than_viewer_or_operator_is_a_configuration_error()
    {
        string file = WriteConfig("""
            dashboard:
              tokens:
                - name: grafana
                  role: admin
                  token_env: MARAN_GRAFANA_TOKEN
            """);

        MonitoringConfigurationException failure = Assert.Throws<MonitoringConfigurationException>(() => MonitoringOptions.Load(file, new Dictionary<string, string>()));

        Assert.Equal("dashboard.tokens.0.role", Assert.Single(failure.Errors).Key);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_viewerVariable, null);
        File.Delete(_operatorFile);
    }

    /// <summary>Every route of the running dashboard that is not a read, with a path made from its pattern.</summary>
    internal static IEnumerable<(string Method, string Path)> WriteRoutes(TestDashboard server)
    {
        foreach (RouteEndpoint endpoint in server.Dashboard.Routes)
        {
            IReadOnlyList<string> methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["POST"];
            foreach (string method in methods.Where(static m => !AccessGuard.IsRead(m)))
            {
                var path = new StringBuilder();
                foreach (Microsoft.AspNetCore.Routing.Patterns.RoutePatternPathSegment segment in endpoint.RoutePattern.PathSegments)
                {
                    path.Append(path.Length > 0 ? "/" : string.Empty);
                    foreach (Microsoft.AspNetCore.Routing.Patterns.RoutePatternPart part in segment.Parts)
                    {
                        path.Append(part switch
                        {
                            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter when parameter.ParameterPolicies.Any(p => p.Content == "guid") => Guid.NewGuid().ToString(),
                            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter when parameter.ParameterPolicies.Any(p => p.Content == "int") => "1",
                            _ => "x",
                        });
                    }
                }

                yield return (method, path.ToString());
            }
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(TestDashboard server, string method, string path, string secret, string body = "{}")
    {
        using var client = new HttpClient { BaseAddress = server.Url };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        if (!AccessGuard.IsRead(method))
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }

    private Task<TestDashboard> StartAsync(Action<MonitoringOptions>? configure = null) => TestDashboard.StartAsync(o =>
    {
        o.Dashboard.Tokens.Add(new DashboardTokenSettings { Name = "grafana", Role = DashboardRole.Viewer, TokenEnv = _viewerVariable });
        o.Dashboard.Tokens.Add(new DashboardTokenSettings { Name = "oncall", Role = DashboardRole.Operator, TokenFile = _operatorFile });
        configure?.Invoke(o);
    });

    private static string WriteConfig(string yaml)
    {
        string path = Path.Combine(Path.GetTempPath(), "maran-config-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
