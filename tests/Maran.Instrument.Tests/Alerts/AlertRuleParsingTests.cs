using System.Collections;
using Maran.Instrument.Alerts;
using Maran.Instrument.Configuration;

namespace Maran.Instrument.Tests.Alerts;

public class AlertRuleParsingTests
{
    private static readonly Hashtable NoVariables = [];

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Alerts", "Fixtures", name);

    private static ConfigurationError ErrorAt(MonitoringConfigurationException exception, string key) =>
        Assert.Single(exception.Errors, e => e.Key == key);

    [Fact]
    public void A_yaml_alerts_section_sets_rules_channels_and_intervals()
    {
        Environment.SetEnvironmentVariable("MARAN_TEST_FIXTURE_SECRET", "fixture-secret");
        AlertSettings alerts = MonitoringOptions.Load(Fixture("alerts-valid.yaml"), NoVariables).Alerts;

        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromHours(2), TimeSpan.FromSeconds(30)), (alerts.EvaluationInterval, alerts.RepeatInterval, alerts.DefaultFor));
        Assert.Equal(["tokens_waiting"], alerts.CustomMetrics);
        AlertRuleOptions slow = alerts.Rules[0];
        Assert.Equal(("SlowGeneration", "operation_p95_ms", "generate", "model", ">=", 2000.0), (slow.Name, slow.Metric, slow.Operation, slow.Component, slow.Comparison, slow.Threshold));
        Assert.Equal((TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), AlertSeverity.Critical), (slow.For, slow.KeepFiringFor, slow.Window, slow.Severity));
        Assert.Equal("ml", slow.Labels["team"]);
        Assert.Equal(">", alerts.Rules[1].Comparison);
        AlertChannelSettings channels = alerts.Channels;
        Assert.Equal(ConsoleColorMode.Never, channels.Console.Color);
        Assert.Equal((2048L, 3), (channels.File.MaxBytes, channels.File.MaxFiles));
        Assert.Equal((new Uri("http://127.0.0.1:9000/hook"), TimeSpan.FromMilliseconds(250), 2), (channels.Webhook.Url, channels.Webhook.Backoff, channels.Webhook.Retries));
        Assert.Equal((465, SmtpTlsMode.Ssl, 2), (channels.Email.Port, channels.Email.Tls, channels.Email.To.Count));
        Assert.Equal(TimeSpan.FromSeconds(30), channels.Alertmanager.ResendInterval);
    }

    [Fact]
    public void Rules_from_the_file_the_health_thresholds_and_code_are_all_in_force_at_start()
    {
        Environment.SetEnvironmentVariable("MARAN_TEST_FIXTURE_SECRET", "fixture-secret");
        MonitoringOptions options = MonitoringOptions.Load(Fixture("alerts-valid.yaml"), NoVariables);
        options.Monitoring.DataDirectory = Path.Combine(Path.GetTempPath(), "maran-unused-" + Guid.NewGuid().ToString("N"));
        using var system = new AdvancedMonitoringSystem(options);
        system.Alerts.AddRule(AlertRule.Create("TokenBacklog").When("tokens_waiting").Above(9000).WithSeverity(AlertSeverity.Critical).Build());

        IReadOnlyList<AlertRule> rules = system.Alerts.Rules;

        Assert.Equal(
            ["SlowGeneration", "TokenBacklog", "TokenBacklog", "health_cpu_percent", "health_disk_percent", "health_memory_percent", "health_queue_depth"],
            rules.Select(r => r.Name).Order(StringComparer.Ordinal));
        AlertRule queue = rules.Single(r => r.Name == "health_queue_depth");
        Assert.Equal(("queue_depth", AlertComparison.GreaterThan, 250.0, TimeSpan.FromSeconds(30)), (queue.Metric, queue.Comparison, queue.Threshold, queue.For));
    }

    [Fact]
    public void Every_bad_rule_in_the_file_is_reported_with_the_rule_the_field_and_the_line()
    {
        MonitoringConfigurationException error = Assert.Throws<MonitoringConfigurationException>(
            () => MonitoringOptions.Load(Fixture("alerts-bad-rules.yaml"), NoVariables));

        ConfigurationError metric = ErrorAt(error, "alerts.rules.0.metric");
        Assert.Equal(("cpu_precent", "alerts-bad-rules.yaml line 4"), (metric.Value, metric.Origin));
        Assert.StartsWith("rule 'HighCpu': unknown metric 'cpu_precent' (did you mean 'cpu_percent'?)", metric.Message, StringComparison.Ordinal);

        ConfigurationError undeclared = ErrorAt(error, "alerts.rules.1.metric");
        Assert.Contains("rule 'Backlog': unknown metric 'queue_depth'", undeclared.Message, StringComparison.Ordinal);
        Assert.Contains("alerts.custom_metrics", undeclared.Message, StringComparison.Ordinal);

        ConfigurationError comparison = ErrorAt(error, "alerts.rules.2.comparison");
        Assert.Equal(("=>", "alerts-bad-rules.yaml line 11"), (comparison.Value, comparison.Origin));
        Assert.Equal("rule 'WrongComparison': unknown comparison '=>' (use >, >=, <, <=, == or !=)", comparison.Message);

        ConfigurationError negative = ErrorAt(error, "alerts.rules.3.for");
        Assert.Equal(("-5m", "alerts-bad-rules.yaml line 16"), (negative.Value, negative.Origin));
        Assert.StartsWith("rule 'NegativeFor': 'for' cannot be negative", negative.Message, StringComparison.Ordinal);

        ConfigurationError unclosed = ErrorAt(error, "alerts.rules.4.annotations.summary");
        Assert.Equal("alerts-bad-rules.yaml line 22", unclosed.Origin);
        Assert.Equal("rule 'BrokenTemplate': template error: '{{' at position 10 is never closed with '}}'", unclosed.Message);

        ConfigurationError variable = ErrorAt(error, "alerts.rules.5.annotations.description");
        Assert.Contains("rule 'UnknownVariable': template error:", variable.Message, StringComparison.Ordinal);
        Assert.Contains("unknown variable '$valu'", variable.Message, StringComparison.Ordinal);

        ConfigurationError threshold = ErrorAt(error, "alerts.rules.6.threshold");
        Assert.Equal((null, "alerts-bad-rules.yaml line 29", "rule 'NoThreshold': every threshold rule needs a threshold"), (threshold.Value, threshold.Origin, threshold.Message));

        Assert.Contains("rule 'OperationOnGauge': only operation metrics", ErrorAt(error, "alerts.rules.7.operation").Message, StringComparison.Ordinal);
        Assert.Contains("rule 'ValueInLabel': a label cannot use $value", ErrorAt(error, "alerts.rules.8.labels.level").Message, StringComparison.Ordinal);

        ConfigurationError twice = ErrorAt(error, "alerts.rules.10.name");
        Assert.Equal("alerts-bad-rules.yaml line 43", twice.Origin);
        Assert.Contains("rule 'Twice': another warning rule has this name", twice.Message, StringComparison.Ordinal);
        Assert.Equal(10, error.Errors.Count);
    }

    [Fact]
    public void An_unknown_metric_stops_start_with_a_message_naming_the_rule()
    {
        using var system = new AdvancedMonitoringSystem(new MonitoringOptions
        {
            Alerts = { Rules = { new AlertRuleOptions { Name = "Typo", Metric = "memroy_percent", Threshold = 1 } } },
        });

        MonitoringConfigurationException error = Assert.Throws<MonitoringConfigurationException>(system.Start);

        Assert.Contains("alerts.rules.0.metric = 'memroy_percent': rule 'Typo': unknown metric 'memroy_percent' (did you mean 'memory_percent'?)", error.Message, StringComparison.Ordinal);
        Assert.False(system.IsRunning);
    }

    [Fact]
    public void A_secret_from_an_unset_variable_is_an_error_naming_the_variable()
    {
        var options = new MonitoringOptions();
        options.Alerts.Channels.Webhook.Url = new Uri("http://127.0.0.1:9/hook");
        options.Alerts.Channels.Webhook.SecretEnv = "MARAN_TEST_SECRET_NOBODY_SET_" + Guid.NewGuid().ToString("N");

        ConfigurationError error = Assert.Single(options.Validate());

        Assert.Equal(("alerts.channels.webhook.secret_env", options.Alerts.Channels.Webhook.SecretEnv), (error.Key, error.Value));
        Assert.Contains("is not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_builder_reports_a_negative_for_and_a_template_error_with_the_rule_and_field()
    {
        MonitoringConfigurationException error = Assert.Throws<MonitoringConfigurationException>(() =>
            AlertRule.Create("SlowCalls").When(AlertMetrics.OperationP99Ms).Above(500)
                .For(TimeSpan.FromSeconds(-1))
                .Annotation("summary", "{{ $labels }}")
                .Label("9lives", "x")
                .Build());

        Assert.Equal(
            ["alerts.rules[SlowCalls].annotations.summary", "alerts.rules[SlowCalls].for", "alerts.rules[SlowCalls].labels.9lives"],
            error.Errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.All(error.Errors, e => Assert.Equal("code", e.Origin));
        Assert.All(error.Errors, e => Assert.StartsWith("rule 'SlowCalls': ", e.Message, StringComparison.Ordinal));
        Assert.Contains("$labels needs a label name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Adding_a_built_rule_over_an_undeclared_metric_fails_naming_the_rule_and_declaring_it_first_works()
    {
        using var system = new AdvancedMonitoringSystem(new MonitoringOptions());
        AlertRule rule = AlertRule.Create("Backlog").When("queue_depht").Above(10).Build();

        MonitoringConfigurationException error = Assert.Throws<MonitoringConfigurationException>(() => system.Alerts.AddRule(rule));
        Assert.Equal("alerts.rules[Backlog].metric", Assert.Single(error.Errors).Key);
        Assert.Contains("rule 'Backlog': unknown metric 'queue_depht'", error.Message, StringComparison.Ordinal);

        system.Alerts.DeclareMetric("queue_depht");
        system.Alerts.AddRule(rule);
        Assert.Contains(system.Alerts.Rules, r => r.Name == "Backlog");
    }

    [Theory]
    [InlineData("{{ $value }} items", "1234.5678 items")]
    [InlineData("{{ $value | humanize }}", "1.235k")]
    [InlineData("{{ printf \"%.1f\" $value }} of {{ $threshold }}", "1234.6 of 1000")]
    [InlineData("{{ $value | printf \"%.0f\" }} on {{ $labels.queue }}{{ $labels.missing }}", "1235 on ingest")]
    public void Templates_fill_in_value_threshold_and_labels(string template, string expected)
    {
        Assert.True(AlertTemplate.TryParse(template, out AlertTemplate? parsed, out string? problem), problem);

        Assert.Equal(expected, parsed!.Render(1234.5678, 1000, new Dictionary<string, string> { ["queue"] = "ingest" }));
    }

    [Theory]
    [InlineData("{{ $value", "never closed")]
    [InlineData("value }}", "closes nothing")]
    [InlineData("{{ }}", "empty placeholder")]
    [InlineData("{{ $value | upper }}", "unknown function 'upper'")]
    [InlineData("{{ $labels.queue | humanize }}", "labels are text")]
    [InlineData("{{ .Value }}", "unknown variable '.Value'")]
    public void A_malformed_template_says_what_is_wrong(string template, string problem)
    {
        Assert.False(AlertTemplate.TryParse(template, out _, out string? message));

        Assert.Contains(problem, message, StringComparison.Ordinal);
    }
}
