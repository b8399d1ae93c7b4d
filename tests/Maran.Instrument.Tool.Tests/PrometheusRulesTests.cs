using System.Diagnostics;
using Maran.Instrument.Integration.Tests.Export;
using Maran.Instrument.Profiling;
using Maran.Instrument.Testing;
using Maran.Instrument.Tool.Prometheus;
using Prometheus;
using YamlDotNet.RepresentationModel;

namespace Maran.Instrument.Tool.Tests;

public sealed class PrometheusRulesTests : IDisposable
{
    private const string EveryKind = """
        monitoring:
          health_thresholds:
            cpu_percent: 75
        alerts:
          rules:
            - name: SlowGeneration
              metric: operation_p95_ms
              operation: generate
              component: model
              threshold: 2000
              for: 1m
              keep_firing_for: 2m
              severity: critical
              labels: { team: ml }
              annotations:
                summary: "p95 of {{ $labels.operation }} is {{ $value | printf \"%.0f\" }} ms (limit {{ $threshold }})"
            - name: CostAnomaly
              kind: anomaly
              metric: cost_per_hour_usd
              direction: above
            - name: DiskFull
              kind: forecast
              metric: disk_percent
              limit: 95
              horizon: 6h
          slos:
            - name: generate_availability
              operation: generate
              objective: 0.995
              annotations:
                summary: "{{ $slo }} burns {{ $value | humanize }}x (limit {{ $burn_rate_threshold }}) over {{ $long_window }}"
            - name: generate_latency
              operation: generate
              objective: 0.95
              latency: 2s
              burn_rates:
                - { burn_rate: 10, long_window: 2h, short_window: 10m, severity: critical }
              annotations:
                description: "{{ $error_budget_remaining_percent }}% of the budget is left"
        """;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "maran-rules-" + Guid.NewGuid().ToString("N"));

    public PrometheusRulesTests() => Directory.CreateDirectory(_folder);

    private static string SampleConfiguration => Path.Combine(RepositoryRoot(), "samples", "Maran.Agent", "monitoring_config.yaml");

    [PrometheusFact]
    public void Promtool_accepts_the_rules_written_for_the_sample_configuration()
    {
        string rules = Path.Combine(_folder, "sample-rules.yml");

        ToolRun run = SecurityTestSystem.RunTool(null, "prometheus", "rules", SampleConfiguration, "--output", rules);

        Assert.True(run.ExitCode == 0, run.Error);
        (int exit, string output) = Promtool("check", "rules", rules);
        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
        Assert.Contains(RuleNames(rules), n => n == "ModelErrorRate");
        Assert.Contains("# BudgetNearlySpent (budget_used_percent) stays in the process", File.ReadAllText(rules), StringComparison.Ordinal);
    }

    [PrometheusFact]
    public void Promtool_accepts_rules_of_every_kind_and_anomaly_and_forecast_rules_are_left_to_the_process_with_a_comment()
    {
        string rules = WriteRules(EveryKind);

        (int exit, string output) = Promtool("check", "rules", rules);
        string text = File.ReadAllText(rules);

        Assert.True(exit == 0, output + text);
        Assert.Equal(
            ["SlowGeneration", "generate_availability_burn_1h", "generate_availability_burn_6h", "generate_latency_burn_2h", "health_cpu_percent"],
            RuleNames(rules).Where(n => !n.Contains(':', StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Contains("# CostAnomaly (anomaly of cost_per_hour_usd) stays in the process", text, StringComparison.Ordinal);
        Assert.Contains("# DiskFull (forecast of disk_percent) stays in the process", text, StringComparison.Ordinal);
        Assert.DoesNotContain("alert: 'CostAnomaly'", text, StringComparison.Ordinal);
    }

    [PrometheusFact]
    public void Per_model_cost_and_token_rules_become_promql_summed_per_instance_and_model_that_promtool_accepts()
    {
        string rules = WriteRules("""
            alerts:
              rules:
                - name: ModelSpend
                  metric: model_cost_per_hour_usd
                  threshold: 5
                - name: ModelTokenRate
                  metric: model_tokens_per_minute
                  threshold: 100000
            """);

        (int exit, string output) = Promtool("check", "rules", rules);
        Dictionary<string, YamlMappingNode> alerts = Alerts(rules);

        Assert.True(exit == 0, output + File.ReadAllText(rules));
        Assert.Contains("sum by (job, instance, model) (increase(total_cost_usd{resource_type=\"tokens\"}[1h]))", Scalar(alerts["ModelSpend"], "expr"), StringComparison.Ordinal);
        Assert.Contains("sum by (job, instance, model) (increase(tokens_total{type=~\"input|output\"}[1m]))", Scalar(alerts["ModelTokenRate"], "expr"), StringComparison.Ordinal);
    }

    [PrometheusFact]
    public void A_mean_duration_rule_becomes_the_rate_of_the_duration_sum_over_the_rate_of_its_count()
    {
        string rules = WriteRules("""
            alerts:
              rules:
                - name: SlowMean
                  metric: operation_mean_ms
                  operation: generate
                  threshold: 800
                  window: 10m
            """);

        (int exit, string output) = Promtool("check", "rules", rules);
        Dictionary<string, YamlMappingNode> alerts = Alerts(rules);

        Assert.True(exit == 0, output + File.ReadAllText(rules));
        Assert.Contains(
            "1000 * sum by (job, instance, operation, component, kind) (rate(operation_duration_seconds_sum{operation=\"generate\"}[10m]))"
            + " / sum by (job, instance, operation, component, kind) (rate(operation_duration_seconds_count{operation=\"generate\"}[10m]))",
            Scalar(alerts["SlowMean"], "expr"), StringComparison.Ordinal);
    }

    [Fact]
    public void Burn_rate_alerts_use_the_engines_windows_and_factors_over_both_windows()
    {
        Dictionary<string, YamlMappingNode> alerts = Alerts(WriteRules(EveryKind));

        string page = Scalar(alerts["generate_availability_burn_1h"], "expr");
        string ticket = Scalar(alerts["generate_availability_burn_6h"], "expr");
        string custom = Scalar(alerts["generate_latency_burn_2h"], "expr");

        Assert.Equal("slo:sli_error:ratio_rate1h{slo=\"generate_availability\"} / 0.005 >= 14.4 * (1 - 1e-9) and slo:sli_error:ratio_rate5m{slo=\"generate_availability\"} / 0.005 >= 14.4 * (1 - 1e-9)", page);
        Assert.Equal("slo:sli_error:ratio_rate6h{slo=\"generate_availability\"} / 0.005 >= 6 * (1 - 1e-9) and slo:sli_error:ratio_rate30m{slo=\"generate_availability\"} / 0.005 >= 6 * (1 - 1e-9)", ticket);
        Assert.Equal("slo:sli_error:ratio_rate2h{slo=\"generate_latency\"} / 0.05 >= 10 * (1 - 1e-9) and slo:sli_error:ratio_rate10m{slo=\"generate_latency\"} / 0.05 >= 10 * (1 - 1e-9)", custom);
        Assert.Equal("critical", Scalar((YamlMappingNode)alerts["generate_availability_burn_1h"]["labels"], "severity"));
        Assert.Equal("warning", Scalar((YamlMappingNode)alerts["generate_availability_burn_6h"]["labels"], "severity"));
    }

    [PrometheusFact]
    public void Promtool_unit_tests_of_the_sample_rules_file_pass()
    {
        (int exit, string output) = Promtool("test", "rules", Path.Combine(RepositoryRoot(), "deploy", "prometheus", "maran-rules.test.yml"));

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [PrometheusFact]
    public void Promtool_unit_tests_at_the_worked_burn_rate_example_of_the_docs_pass_on_the_rules_written_for_it()
    {
        string examples = Path.Combine(RepositoryRoot(), "tests", "Maran.Instrument.Tool.Tests", "Promtool");
        string tests = Path.Combine(_folder, "worked-example.test.yml");
        File.Copy(Path.Combine(examples, "worked-example.test.yml"), tests);
        ToolRun run = SecurityTestSystem.RunTool(null, "prometheus", "rules", Path.Combine(examples, "worked-example.yaml"), "--output", Path.Combine(_folder, "worked-example.rules.yml"));
        Assert.True(run.ExitCode == 0, run.Error);

        (int exit, string output) = Promtool("test", "rules", tests);

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_latency_between_two_exported_buckets_is_said_in_a_comment_and_one_on_a_boundary_is_not()
    {
        string between = File.ReadAllText(WriteRules(EveryKind));
        string onBoundary = File.ReadAllText(WriteRules(EveryKind.Replace("latency: 2s", "latency: 2500ms", StringComparison.Ordinal)));

        Assert.Contains("# generate_latency: its latency (2s) lies between the exported buckets 1s and 2.5s", between, StringComparison.Ordinal);
        Assert.DoesNotContain("# generate_latency: its latency", onBoundary, StringComparison.Ordinal);
    }

    [Fact]
    public void Templates_keep_value_and_labels_and_write_in_the_rules_fixed_values()
    {
        Dictionary<string, YamlMappingNode> alerts = Alerts(WriteRules(EveryKind));

        var slow = alerts["SlowGeneration"];
        Assert.Equal("p95 of {{ $labels.operation }} is {{ $value | printf \"%.0f\" }} ms (limit {{ 2000.0 }})", Scalar((YamlMappingNode)slow["annotations"], "summary"));
        Assert.Equal("ml", Scalar((YamlMappingNode)slow["labels"], "team"));
        Assert.Equal("1m", Scalar(slow, "for"));
        Assert.Equal("2m", Scalar(slow, "keep_firing_for"));
        Assert.Equal("{{ \"generate_availability\" }} burns {{ $value | humanize }}x (limit {{ 14.4 }}) over {{ \"1h\" }}",
            Scalar((YamlMappingNode)alerts["generate_availability_burn_1h"]["annotations"], "summary"));
    }

    [Fact]
    public void An_annotation_naming_a_variable_only_the_process_works_out_is_left_out_with_a_comment()
    {
        string file = WriteRules(EveryKind);

        var annotations = (YamlMappingNode)Alerts(file)["generate_latency_burn_2h"]["annotations"];

        Assert.False(annotations.Children.ContainsKey("description"));
        Assert.StartsWith("SLO generate_latency burns its error budget", Scalar(annotations, "summary"), StringComparison.Ordinal);
        Assert.Matches(@"# left out: (description, summary|summary, description), whose variables only the process works out", File.ReadAllText(file));
    }

    [Fact]
    public void Every_metric_the_rules_read_is_one_the_prometheus_exporter_exports()
    {
        var exported = new PrometheusMetricSet(new CollectorRegistry(), string.Empty).Names.ToHashSet(StringComparer.Ordinal);
        foreach (string file in (string[])[WriteRules(EveryKind), WriteRules(File.ReadAllText(SampleConfiguration))])
        {
            HashSet<string> recorded = Rules(file).Where(r => r.Children.ContainsKey("record")).Select(r => Scalar(r, "record")).ToHashSet(StringComparer.Ordinal);
            foreach (YamlMappingNode rule in Rules(file))
            {
                string expression = Scalar(rule, "expr");
                foreach (string metric in PromQlNames.Of(expression))
                {
                    Assert.True(PromQlNames.IsExported(metric, exported) || recorded.Contains(metric),
                        $"the rules read {metric}, which the exporter does not export ({expression})");
                }
            }
        }
    }

    [Fact]
    public void A_metrics_prefix_is_written_into_every_exported_name_the_rules_read()
    {
        var exported = new PrometheusMetricSet(new CollectorRegistry(), "agent_").Names.ToHashSet(StringComparer.Ordinal);
        string file = WriteRules("monitoring:\n  metrics_prefix: agent_\n" + EveryKind[EveryKind.IndexOf("alerts:", StringComparison.Ordinal)..]);

        List<string> read = [.. Rules(file).SelectMany(r => PromQlNames.Of(Scalar(r, "expr"))).Where(n => !n.Contains(':', StringComparison.Ordinal))];

        Assert.NotEmpty(read);
        Assert.All(read, metric => Assert.True(PromQlNames.IsExported(metric, exported), metric));
        Assert.Contains(Rules(file), r => r.Children.ContainsKey("record") && Scalar(r, "record") == "instance:agent_operation_calls:rate5m");
    }

    [Fact]
    public void The_rules_file_under_deploy_is_what_the_command_writes_for_the_sample_configuration()
    {
        string committed = Path.Combine(RepositoryRoot(), "deploy", "prometheus", "maran-rules.yml");
        string written = Path.Combine(_folder, "maran-rules.yml");

        ToolRun run = SecurityTestSystem.RunTool(null, "prometheus", "rules", SampleConfiguration, "--output", written);

        Assert.Equal(0, run.ExitCode);
        Assert.True(File.ReadAllText(committed) == File.ReadAllText(written),
            "deploy/prometheus/maran-rules.yml is out of date: run maran prometheus rules samples/Maran.Agent/monitoring_config.yaml --output deploy/prometheus/maran-rules.yml");
    }

    [Fact]
    public void The_latency_buckets_the_rules_interpolate_between_are_those_the_exporter_publishes() =>
        Assert.Equal(PrometheusMetricSet.BucketBoundaries, PromQl.BucketBoundaries);

    [Fact]
    public void A_bad_configuration_names_the_file_key_and_line_and_exits_1_without_writing()
    {
        string config = Path.Combine(_folder, "broken.yaml");
        File.WriteAllText(config, """
            alerts:
              slos:
                - name: generate_availability
                  operation: generate
                  objective: 1.5
            """);
        string rules = Path.Combine(_folder, "never.yml");

        ToolRun run = SecurityTestSystem.RunTool(null, "prometheus", "rules", config, "--output", rules);
        ToolRun missing = SecurityTestSystem.RunTool(null, "prometheus", "rules", Path.Combine(_folder, "absent.yaml"));
        ToolRun noFile = SecurityTestSystem.RunTool(null, "prometheus", "rules", config, "--output");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("broken.yaml line 5: alerts.slos.0.objective", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(rules));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no such file", missing.Error, StringComparison.Ordinal);
        Assert.Equal(2, noFile.ExitCode);
        Assert.Contains("--output needs a file name", noFile.Error, StringComparison.Ordinal);
    }

    [PrometheusFact]
    public async Task A_real_prometheus_loading_the_rules_records_the_call_rate_of_a_scraped_process()
    {
        using var test = new SecurityTestSystem(o => o.Storage.Enabled = false);
        test.Monitoring.Start();
        PerformanceProfiler profiler = test.Monitoring.Profiler;
        void Calls(int count)
        {
            for (int i = 0; i < count; i++)
            {
                profiler.EndOperation(profiler.StartOperation("rules_probe", "tool-tests"));
            }
        }

        Calls(5);
        string rules = WriteRules(EveryKind);
        using var prometheus = PrometheusServer.Start(test.Monitoring.Prometheus.EndpointUrl!, rules);
        await prometheus.QueryUntilAsync("operation_calls_total{operation=\"rules_probe\"}", r => r.Count == 1, TimeSpan.FromSeconds(60));
        Calls(20);

        var recorded = await prometheus.QueryUntilAsync("instance:operation_calls:rate5m{operation=\"rules_probe\"}", r => r is [{ Value: > 0 }], TimeSpan.FromSeconds(60));

        var series = Assert.Single(recorded);
        Assert.Equal("tool-tests", series.Labels["component"]);
        Assert.Equal("maran", series.Labels["job"]);
        Assert.True(series.Value > 0, $"the recorded call rate is {series.Value}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string WriteRules(string configuration)
    {
        string config = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(config, configuration);
        string rules = Path.ChangeExtension(config, ".rules.yml");
        ToolRun run = SecurityTestSystem.RunTool(null, "prometheus", "rules", config, "--output", rules);
        Assert.True(run.ExitCode == 0, run.Error);
        return rules;
    }

    private static List<YamlMappingNode> Rules(string file)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(file))
        {
            yaml.Load(reader);
        }

        var groups = (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["groups"];
        return [.. groups.Cast<YamlMappingNode>().SelectMany(g => ((YamlSequenceNode)g["rules"]).Cast<YamlMappingNode>())];
    }

    private static IEnumerable<string> RuleNames(string file) =>
        Rules(file).Select(r => r.Children.ContainsKey("alert") ? Scalar(r, "alert") : Scalar(r, "record"));

    private static Dictionary<string, YamlMappingNode> Alerts(string file) =>
        Rules(file).Where(r => r.Children.ContainsKey("alert")).ToDictionary(r => Scalar(r, "alert"), StringComparer.Ordinal);

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;

    private static (int ExitCode, string Output) Promtool(params string[] arguments)
    {
        var start = new ProcessStartInfo(PrometheusServer.Find("promtool")!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException("promtool did not finish in 60 s");
        }

        return (process.ExitCode, output.Result + error.Result);
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Maran.Instrument.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("the tests must run inside the repository (Maran.Instrument.sln not found above " + AppContext.BaseDirectory + ")");
    }
}
