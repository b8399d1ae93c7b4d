using System.Text.Json;
using System.Text.RegularExpressions;
using Maran.Instrument.Integration.Tests.Export;
using Maran.Instrument.Testing;
using YamlDotNet.RepresentationModel;

namespace Maran.Instrument.Integration.Tests.Sample;

/// <summary>
/// The deployment files under deploy/ cannot be run here (no container engine or cluster), so each is checked with
/// what can run: promtool for the scrape configuration and its rules, a real Prometheus for every query of the Grafana
/// dashboard, the metric names the sample actually exports and those the exporter creates for the names the
/// dashboard, the rules and the Kubernetes manifests query, and the manifests' ports and identities against each other.
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
        Assert.Contains("SUCCESS: 1 rule files found", check.Output, StringComparison.Ordinal);
    }

    [PrometheusFact]
    public async Task Every_query_of_the_grafana_dashboard_is_valid_promql_over_metrics_the_sample_exports()
    {
        var exported = TypeLine().Matches(run.Metrics).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        using var prometheus = PrometheusServer.Start(run.System.Prometheus.EndpointUrl ?? new Uri("http://127.0.0.1:1/metrics"));
        await prometheus.QueryUntilAsync("up", _ => true, TimeSpan.FromSeconds(30));

        foreach (string expression in GrafanaExpressions())
        {
            Assert.True(expression.Contains("$service", StringComparison.Ordinal) && expression.Contains("$instance", StringComparison.Ordinal),
                $"a panel's query does not filter by the service and instance variables: {expression}");

            // A query Prometheus cannot parse answers 400, which fails here with its text; "All" is ".*" in Grafana.
            await prometheus.QueryAsync(expression.Replace("$service", ".*", StringComparison.Ordinal).Replace("$instance", ".*", StringComparison.Ordinal));
            foreach (string metric in PromQlNames.Of(expression))
            {
                Assert.True(PromQlNames.IsExported(metric, exported), $"the dashboard queries {metric}, which the sample does not export ({expression})");
            }
        }
    }

    [Fact]
    public void The_grafana_dashboard_has_service_and_instance_variables_read_from_target_info()
    {
        using JsonDocument dashboard = JsonDocument.Parse(File.ReadAllText(Deploy("grafana", "dashboards", "maran-agent.json")));
        var variables = dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray()
            .ToDictionary(v => v.GetProperty("name").GetString()!, v => v.GetProperty("definition").GetString()!);

        Assert.Equal(["instance", "service"], variables.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("label_values(target_info, service)", variables["service"]);
        Assert.Equal("label_values(target_info{service=~\"$service\"}, instance)", variables["instance"]);
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
    public void The_compose_file_runs_three_agents_with_distinct_instance_ids_sending_otlp_to_the_collector()
    {
        YamlMappingNode services = Mapping(Yaml("docker-compose.yml"), "services");
        Assert.Equal(["agent-1", "agent-2", "agent-3", "grafana", "otel-collector", "prometheus"], services.Children.Keys.Select(k => k.ToString()).Order());

        var instances = new List<string>();
        var dashboards = new List<string>();
        foreach (string agent in new[] { "agent-1", "agent-2", "agent-3" })
        {
            YamlMappingNode environment = Mapping((YamlMappingNode)services[agent], "environment");
            string attributes = Scalar(environment, "OTEL_RESOURCE_ATTRIBUTES");
            instances.Add(Assert.Single(attributes.Split(','), a => a.StartsWith("service.instance.id=", StringComparison.Ordinal)));
            Assert.Equal("maran-agent", Scalar(environment, "OTEL_SERVICE_NAME"));
            Assert.Equal("http://otel-collector:4318", Scalar(environment, "OTEL_EXPORTER_OTLP_ENDPOINT"));
            Assert.Equal("http/protobuf", Scalar(environment, "OTEL_EXPORTER_OTLP_PROTOCOL"));
            dashboards.Add(Assert.Single(((YamlSequenceNode)((YamlMappingNode)services[agent])["ports"]).Select(p => p.ToString())));
        }

        Assert.Equal(3, instances.Distinct().Count());
        Assert.Equal(3, dashboards.Distinct().Count());
        Assert.All(dashboards, p => Assert.EndsWith(":8080", p, StringComparison.Ordinal));

        foreach (string service in new[] { "prometheus", "grafana", "otel-collector" })
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

    [Fact]
    public void Prometheus_scrapes_the_metrics_port_of_all_three_agents_and_loads_the_rules_file()
    {
        YamlMappingNode prometheus = Yaml("prometheus", "prometheus.yml");
        var job = (YamlMappingNode)((YamlSequenceNode)prometheus["scrape_configs"])[0];
        var targets = ((YamlSequenceNode)job["static_configs"]).Cast<YamlMappingNode>()
            .SelectMany(c => ((YamlSequenceNode)c["targets"]).Select(t => t.ToString())).ToList();

        Assert.Equal(["agent-1:9090", "agent-2:9090", "agent-3:9090"], targets.Order());
        Assert.Equal(["maran-rules.yml"], ((YamlSequenceNode)prometheus["rule_files"]).Select(r => r.ToString()));
        Assert.True(File.Exists(Deploy("prometheus", "maran-rules.yml")));
    }

    [Fact]
    public void The_service_scrapes_the_port_the_deployment_serves_metrics_on()
    {
        YamlMappingNode deployment = Yaml("k8s", "deployment.yaml");
        YamlMappingNode service = Yaml("k8s", "service.yaml");
        var container = (YamlMappingNode)((YamlSequenceNode)Mapping(Mapping(Mapping(deployment, "spec"), "template"), "spec")["containers"])[0];
        var containerPorts = ((YamlSequenceNode)container["ports"]).Cast<YamlMappingNode>().ToDictionary(p => Scalar(p, "name"), p => Scalar(p, "containerPort"));
        string probed = Scalar(Mapping(Mapping(container, "readinessProbe"), "httpGet"), "port");
        YamlMappingNode annotations = Mapping(Mapping(service, "metadata"), "annotations");
        var servicePorts = ((YamlSequenceNode)Mapping(service, "spec")["ports"]).Cast<YamlMappingNode>().ToDictionary(p => Scalar(p, "port"), p => Scalar(p, "targetPort"));

        Assert.Equal("true", Scalar(annotations, "prometheus.io/scrape"));
        Assert.Equal("/metrics", Scalar(annotations, "prometheus.io/path"));
        Assert.Equal(containerPorts["metrics"], Scalar(annotations, "prometheus.io/port"));
        Assert.Equal("metrics", servicePorts.GetValueOrDefault(Scalar(annotations, "prometheus.io/port")));
        Assert.Equal("metrics", probed);
        Assert.Contains("EXPOSE 8080 " + containerPorts["metrics"], File.ReadAllLines(Deploy("Dockerfile")));
        var environment = ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>().ToDictionary(e => Scalar(e, "name"));
        Assert.Equal("metadata.name", Scalar(Mapping(Mapping(environment["POD_NAME"], "valueFrom"), "fieldRef"), "fieldPath"));
        Assert.Contains("service.instance.id=$(POD_NAME)", Scalar(environment["OTEL_RESOURCE_ATTRIBUTES"], "value"), StringComparison.Ordinal);
        Assert.True(environment.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
    }

    [Fact]
    public void Keda_and_the_hpa_scale_the_deployment_on_the_saturation_metric()
    {
        YamlMappingNode keda = Yaml("k8s", "keda-scaledobject.yaml");
        YamlMappingNode hpa = Yaml("k8s", "hpa.yaml");
        var trigger = (YamlMappingNode)((YamlSequenceNode)Mapping(keda, "spec")["triggers"])[0];
        var pods = Mapping((YamlMappingNode)((YamlSequenceNode)Mapping(hpa, "spec")["metrics"])[0], "pods");

        Assert.Equal("keda.sh/v1alpha1", Scalar(keda, "apiVersion"));
        Assert.Equal("prometheus", Scalar(trigger, "type"));
        Assert.Equal(["maran_saturation_ratio"], PromQlNames.Of(Scalar(Mapping(trigger, "metadata"), "query")));
        Assert.Equal("maran-agent", Scalar(Mapping(Mapping(keda, "spec"), "scaleTargetRef"), "name"));
        Assert.Equal("autoscaling/v2", Scalar(hpa, "apiVersion"));
        Assert.Equal("maran_saturation_ratio", Scalar(Mapping(pods, "metric"), "name"));
        Assert.Equal("maran-agent", Scalar(Mapping(Mapping(hpa, "spec"), "scaleTargetRef"), "name"));
        Assert.Contains(AdapterRules(), r => Scalar(Mapping(r, "name"), "as") == "maran_saturation_ratio");
    }

    [Fact]
    public void Every_metric_the_manifests_dashboard_and_rules_query_is_one_the_toolkit_exports()
    {
        var exported = new PrometheusMetricSet(new Prometheus.CollectorRegistry(), string.Empty).Names.ToHashSet(StringComparer.Ordinal);
        var rules = ((YamlSequenceNode)Yaml("prometheus", "maran-rules.yml")["groups"]).Cast<YamlMappingNode>()
            .SelectMany(g => ((YamlSequenceNode)g["rules"]).Cast<YamlMappingNode>()).ToList();
        var recorded = rules.Where(r => r.Children.ContainsKey("record")).Select(r => Scalar(r, "record")).ToHashSet(StringComparer.Ordinal);
        var expressions = new List<(string File, string Expression)>();
        expressions.AddRange(GrafanaExpressions().Select(e => ("grafana/dashboards/maran-agent.json", e)));
        expressions.AddRange(rules.Select(r => ("prometheus/maran-rules.yml", Scalar(r, "expr"))));
        expressions.Add(("k8s/keda-scaledobject.yaml", Scalar(Mapping((YamlMappingNode)((YamlSequenceNode)Mapping(Yaml("k8s", "keda-scaledobject.yaml"), "spec")["triggers"])[0], "metadata"), "query")));
        foreach (YamlMappingNode rule in AdapterRules())
        {
            expressions.Add(("k8s/prometheus-adapter-rules.yaml", Scalar(rule, "seriesQuery")));
            expressions.Add(("k8s/prometheus-adapter-rules.yaml", AdapterTemplate().Replace(Scalar(rule, "metricsQuery"), "x")));
        }

        Assert.All(Directory.GetFiles(Deploy("k8s"), "*.yaml"), f => Assert.NotNull(Yaml("k8s", Path.GetFileName(f))));
        foreach ((string file, string expression) in expressions)
        {
            foreach (string metric in PromQlNames.Of(expression).Where(m => m != "x"))
            {
                Assert.True(PromQlNames.IsExported(metric, exported) || recorded.Contains(metric),
                    $"deploy/{file} queries {metric}, which the toolkit does not export ({expression})");
            }
        }
    }

    private static YamlMappingNode Yaml(params string[] parts)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Deploy(parts)))
        {
            yaml.Load(reader);
        }

        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static YamlMappingNode Mapping(YamlMappingNode node, string key) => (YamlMappingNode)node[key];

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;

    // The adapter's own configuration is a YAML document inside the ConfigMap.
    private static IEnumerable<YamlMappingNode> AdapterRules()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(Scalar(Mapping(Yaml("k8s", "prometheus-adapter-rules.yaml"), "data"), "config.yaml")));
        return ((YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["rules"]).Cast<YamlMappingNode>();
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

    [GeneratedRegex(@"^# TYPE (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) ", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"<<[^>]*>>")]
    private static partial Regex AdapterTemplate();
}
