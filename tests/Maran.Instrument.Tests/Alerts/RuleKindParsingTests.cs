using System.Collections;
using Maran.Instrument.Alerts;
using Maran.Instrument.Configuration;

namespace Maran.Instrument.Tests.Alerts;

public class RuleKindParsingTests
{
    private static readonly Hashtable NoVariables = [];

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Alerts", "Fixtures", name);

    private static ConfigurationError ErrorAt(MonitoringConfigurationException exception, string key) =>
        Assert.Single(exception.Errors, e => e.Key == key);

    [Fact]
    public void Anomaly_forecast_and_slo_sections_are_read_from_yaml()
    {
        AlertSettings alerts = MonitoringOptions.Load(Fixture("alerts-kinds.yaml"), NoVariables).Alerts;

        AlertRuleOptions anomaly = alerts.Rules[0];
        Assert.Equal(("anomaly", 0.95, "above", TimeSpan.FromMinutes(2)), (anomaly.Kind, anomaly.MinScore, anomaly.Direction, anomaly.For));
        AlertRuleOptions forecast = alerts.Rules[1];
        Assert.Equal(("forecast", 95.0, TimeSpan.FromHours(3), TimeSpan.FromMinutes(30), "holt"), (forecast.Kind, forecast.Limit, forecast.Horizon, forecast.Lookback, forecast.Method));
        Assert.Equal(2, alerts.Slos.Count);
        SloOptions latency = alerts.Slos[1];
        Assert.Equal(("generate_latency", 0.95, TimeSpan.FromSeconds(2), TimeSpan.FromDays(7)), (latency.Name, latency.Objective, latency.Latency, latency.Window));
        BurnRateOptions burn = Assert.Single(latency.BurnRates);
        Assert.Equal((10.0, TimeSpan.FromHours(2), TimeSpan.FromMinutes(10), AlertSeverity.Critical), (burn.BurnRate, burn.LongWindow, burn.ShortWindow, burn.Severity));
    }

    [Fact]
    public void Each_slo_becomes_one_rule_per_burn_rate_with_the_sre_workbook_pairs_by_default()
    {
        MonitoringOptions options = MonitoringOptions.Load(Fixture("alerts-kinds.yaml"), NoVariables);
        options.Alerts.DefaultRules = false;
        options.Monitoring.DataDirectory = Path.Combine(Path.GetTempPath(), "maran-unused-" + Guid.NewGuid().ToString("N"));
        using var system = new AdvancedMonitoringSystem(options);

        var rules = system.Alerts.Rules.ToDictionary(r => r.Name);

        Assert.Equal(
            ["DiskFull", "QueueAnomaly", "generate_availability_burn_1h", "generate_availability_burn_6h", "generate_latency_burn_2h"],
            rules.Keys.Order(StringComparer.Ordinal));
        AlertRule page = rules["generate_availability_burn_1h"];
        Assert.Equal((AlertRuleKind.BurnRate, AlertSeverity.Critical, 14.4), (page.Kind, page.Severity, page.Threshold));
        Assert.Equal("SLO generate_availability burns its error budget at >= 14.4x over 1h and 5m", page.Condition());
        AlertRule ticket = rules["generate_availability_burn_6h"];
        Assert.Equal((AlertSeverity.Warning, 6.0), (ticket.Severity, ticket.Threshold));
        Assert.Equal("SLO generate_availability burns its error budget at >= 6x over 6h and 30m", ticket.Condition());
        Assert.Equal("disk_percent forecast to reach 95 within 3h (holt)", rules["DiskFull"].Condition());
        Assert.Equal(ForecastMethod.Holt, rules["DiskFull"].Method);
        Assert.Equal("anomaly of queue_depth (score >= 0.95, above)", rules["QueueAnomaly"].Condition());
    }

    [Fact]
    public void Bad_kinds_limits_horizons_scores_and_objectives_are_reported_with_the_rule_the_key_and_the_line()
    {
        MonitoringConfigurationException error = Assert.Throws<MonitoringConfigurationException>(
            () => MonitoringOptions.Load(Fixture("alerts-bad-kinds.yaml"), NoVariables));

        ConfigurationError kind = ErrorAt(error, "alerts.rules.0.kind");
        Assert.Equal(("seasonal", "alerts-bad-kinds.yaml line 5"), (kind.Value, kind.Origin));
        Assert.Equal("rule 'Mystery': unknown kind 'seasonal' (use threshold, anomaly or forecast)", kind.Message);

        ConfigurationError limit = ErrorAt(error, "alerts.rules.1.limit");
        Assert.StartsWith("rule 'NoLimit': every forecast rule needs a limit", limit.Message, StringComparison.Ordinal);

        ConfigurationError horizon = ErrorAt(error, "alerts.rules.2.horizon");
        Assert.Equal(("-1h", "alerts-bad-kinds.yaml line 16"), (horizon.Value, horizon.Origin));
        Assert.Equal("rule 'Backwards': the horizon must be longer than zero", horizon.Message);

        ConfigurationError score = ErrorAt(error, "alerts.rules.3.min_score");
        Assert.Equal(("1.5", "rule 'TooSure': min_score is an anomaly score, above 0 and at most 1"), (score.Value, score.Message));
        Assert.Equal("rule 'TooSure': unknown direction 'sideways' (use above, below or both)", ErrorAt(error, "alerts.rules.3.direction").Message);

        Assert.StartsWith("rule 'AnomalyWithThreshold': only threshold rules take a threshold", ErrorAt(error, "alerts.rules.4.threshold").Message, StringComparison.Ordinal);
        Assert.StartsWith("rule 'EtaOnThreshold': $eta is not a variable of threshold rules", ErrorAt(error, "alerts.rules.5.annotations.summary").Message, StringComparison.Ordinal);

        ConfigurationError objective = ErrorAt(error, "alerts.slos.0.objective");
        Assert.Equal(("99.5", "alerts-bad-kinds.yaml line 34"), (objective.Value, objective.Origin));
        Assert.Equal("slo 'generate_availability': the objective is a share of calls, above 0 and below 1 (0.995 for 99.5 %)", objective.Message);
        Assert.StartsWith("slo 'no_objective': every SLO needs an objective", ErrorAt(error, "alerts.slos.1.objective").Message, StringComparison.Ordinal);
        Assert.Equal("slo 'inverted': the short window must be shorter than the long window", ErrorAt(error, "alerts.slos.2.burn_rates.0.short_window").Message);
        Assert.Equal(10, error.Errors.Count);
    }

    [Fact]
    public void The_builder_checks_anomaly_and_forecast_rules_as_the_file_does()
    {
        MonitoringConfigurationException error = Assert.Throws<MonitoringConfigurationException>(
            () => AlertRule.Create("Soon").When(AlertMetrics.DiskPercent).Forecast(95, TimeSpan.FromHours(-3)).Build());

        ConfigurationError horizon = Assert.Single(error.Errors);
        Assert.Equal(("alerts.rules[Soon].horizon", "rule 'Soon': the horizon must be longer than zero"), (horizon.Key, horizon.Message));

        AlertRule anomaly = AlertRule.Create("Spiky").When(AlertMetrics.CostPerHourUsd).Anomalous(0.8, AnomalyDirection.Above).Build();
        Assert.Equal((AlertRuleKind.Anomaly, 0.8, AnomalyDirection.Above), (anomaly.Kind, anomaly.MinScore, anomaly.Direction));
    }

    [Fact]
    public void A_forecast_rule_fits_a_linear_trend_unless_it_names_holt_and_an_unknown_method_names_the_rule_and_the_key()
    {
        Assert.Equal(ForecastMethod.Linear, AlertRule.Create("Soon").When(AlertMetrics.DiskPercent).Forecast(95, TimeSpan.FromHours(3)).Build().Method);

        var options = new MonitoringOptions();
        options.Alerts.Rules.Add(new AlertRuleOptions { Name = "Curvy", Kind = "forecast", Metric = AlertMetrics.DiskPercent, Limit = 95, Horizon = TimeSpan.FromHours(3), Method = "quadratic" });
        options.Alerts.Rules.Add(new AlertRuleOptions { Name = "Plain", Metric = AlertMetrics.DiskPercent, Threshold = 95, Method = "holt" });

        IReadOnlyList<ConfigurationError> errors = options.Validate();

        ConfigurationError unknown = Assert.Single(errors, e => e.Key == "alerts.rules.0.method");
        Assert.Equal(("quadratic", "rule 'Curvy': unknown method 'quadratic' (use linear, the default, or holt)"), (unknown.Value, unknown.Message));
        ConfigurationError misplaced = Assert.Single(errors, e => e.Key == "alerts.rules.1.method");
        Assert.Equal("rule 'Plain': only forecast rules take method; this rule is kind threshold", misplaced.Message);
    }
}
