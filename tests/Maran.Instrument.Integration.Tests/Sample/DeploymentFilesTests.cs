using System.Text.Json;
using System.Text.RegularExpressions;
using Maran.Instrument.Integration.Tests.Export;
using YamlDotNet.RepresentationModel;

namespace Maran.Instrument.Integration.Tests.Sample;

/// <summary>
/// The deployment files under deploy/ cannot be run here (no container engine), so each is checked with what can
/// run: promtool for the scrape configuration, a real Prometheus for every query of the Grafana dashboard, and the
/// metric names the sample actually exports for the names those queries use.
/// </summary>
[Collection(SampleCollection.Name)]
public sealed partial class DeploymentFilesTests(SampleRun run) : IClassFixture<SampleRun>
{
    private static string Deploy(params string[] parts) => Path.Combine([RepositoryPaths.Root, "deploy", .. parts]);

    [PrometheusFact]
    public void Promtool_accepts_the_prometheus_scrape_configuration()
    {
        string promtool = PrometheusServer.Find("promtool")!;

        DotNet.Result check = DotNet.Exec(promtool, RepositoryPaths.Root, TimeSpan.FromMinutes(1), "check", "config", Deploy("prometheus", "prometheus.yml"));

        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("SUCCESS", check.Output, StringComparison.Ordinal);
    }

    [PrometheusFact]
    public async Task Every_query_of_the_grafana_dashboard_is_valid_promql_over_metrics_the_sample_exports()
    {
        var exported = TypeLine().Matches(run.Metrics).Select(m => m.Groups["name"].Value).ToHashSet();
        using var prometheus = PrometheusServer.Start(run.System.Prometheus.EndpointUrl ?? new Uri("http://127.0.0.1:1/metrics"));
        await prometheus.QueryUntilAsync("up", _ => true, TimeSpan.FromSeconds(30));

        foreach (string expression in GrafanaExpressions())
        {
            // A query Prometheus cannot parse answers 400, which fails here with its text.
            await prometheus.QueryAsync(expression);
            foreach (string metric in MetricNames(expression))
            {
                Assert.True(exported.Contains(metric) || exported.Contains(Regex.Replace(metric, "_(bucket|sum|count)$", string.Empty)),
                    $"the dashboard queries {metric}, which the sample does not export ({expression})");
            }
        }
    }

    [Fact]
    public void The_dockerfile_builds_in_stages_and_runs_as_a_non_root_user_with_ports_and_volumes()
    {
        string[] lines = File.ReadAllLines(Deploy("Dockerfile"));

        Assert.True(lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)) >= 2, "a multi-stage build has two FROM lines or more");
        Assert.Contains(lines, l => l.StartsWith("USER ", StringComparison.Ordinal) && !l.Contains("root", StringComparison.Ordinal));
        Assert.Contains("EXPOSE 8080 9090", lines);
        Assert.Contains(lines, l => l.StartsWith("VOLUME ", StringComparison.Ordinal) && l.Contains("/data", StringComparison.Ordinal) && l.Contains("/logs", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("samples/Maran.Agent/Maran.Agent.csproj", StringComparison.Ordinal));
    }

    [Fact]
    public void The_compose_file_runs_the_agent_with_prometheus_and_grafana_from_files_that_exist()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Deploy("docker-compose.yml")))
        {
            yaml.Load(reader);
        }

        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
        Assert.Equal(["agent", "grafana", "prometheus"], services.Children.Keys.Select(k => k.ToString()).Order());
        var agentPorts = ((YamlSequenceNode)((YamlMappingNode)services["agent"])["ports"]).Select(p => p.ToString()).ToList();
        Assert.Contains(agentPorts, p => p.EndsWith(":8080", StringComparison.Ordinal));
        Assert.Contains(agentPorts, p => p.EndsWith(":9090", StringComparison.Ordinal));

        foreach (string service in new[] { "prometheus", "grafana" })
        {
            foreach (string volume in ((YamlSequenceNode)((YamlMappingNode)services[service])["volumes"]).Select(v => v.ToString()))
            {
                string source = volume.Split(':')[0];
                if (source.StartsWith("./", StringComparison.Ordinal))
                {
                    Assert.True(Path.Exists(Deploy(source[2..])), $"{service} mounts {source}, which is not in deploy/");
                }
            }
        }
    }

    private static IEnumerable<string> GrafanaExpressions()
    {
        using JsonDocument dashboard = JsonDocument.Parse(File.ReadAllText(Deploy("grafana", "dashboards", "maran-agent.json")));
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
        Assert.True(expressions.Count >= 15, $"the dashboard has only {expressions.Count} queries");
        return expressions;
    }

    // The metric names of a query: what is left once grouping clauses, label matchers, ranges, numbers and
    // function calls are taken out.
    private static IEnumerable<string> MetricNames(string expression)
    {
        string cleaned = Grouping().Replace(expression, " ");
        cleaned = Matchers().Replace(cleaned, " ");
        cleaned = Ranges().Replace(cleaned, " ");
        return MetricName().Matches(cleaned).Select(m => m.Value).Where(w => !char.IsDigit(w[0]));
    }

    [GeneratedRegex(@"^# TYPE (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) ", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"\b(by|without)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b[a-zA-Z_:][a-zA-Z0-9_:]*\b(?!\s*\()")]
    private static partial Regex MetricName();
}
