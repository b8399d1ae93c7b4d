using System.Text.RegularExpressions;
using Maran.Instrument.Alerts;
using Maran.Instrument.Configuration;
using Maran.Instrument.Storage;

namespace Maran.Instrument.Tool.Prometheus;

/// <summary>
/// Writes a configuration's alert rules as a Prometheus rules file: the threshold rules over series <c>/metrics</c>
/// exports, the SLO burn-rate alerts with the windows and factors of the in-process engine, and recording rules for the
/// dashboard's heavy queries. Rules PromQL cannot express (anomaly and forecast rules, metrics <c>/metrics</c> does not
/// export) are listed in comments saying why they stay in the process.
/// </summary>
internal static partial class PrometheusRulesWriter
{
    /// <summary>The group of the recording rules.</summary>
    internal const string RecordingGroup = "maran-recording";

    /// <summary>The group of the alerting rules.</summary>
    internal const string AlertGroup = "maran-alerts";

    /// <summary>Writes the rules file for <paramref name="options"/>, read from <paramref name="source"/>, to <paramref name="to"/>.</summary>
    internal static void Write(MonitoringOptions options, string source, TextWriter to)
    {
        var promql = new PromQl(options.Monitoring.MetricsPrefix);
        var engine = new AlertEngine(options, new InMemoryStorage(), TimeProvider.System);
        IReadOnlyList<AlertRule> rules = engine.Rules;
        List<SloDefinition> slos = [.. rules.Select(static r => r.BurnRate?.Slo).OfType<SloDefinition>().Distinct()];

        to.WriteLine($"# Prometheus rules written by `maran prometheus rules` from {source}.");
        to.WriteLine("# Load with rule_files in prometheus.yml; check with `promtool check rules`.");
        var left = rules.Where(r => r.Kind is AlertRuleKind.Anomaly or AlertRuleKind.Forecast).ToList();
        var alerts = new List<(AlertRule Rule, string Expression)>();
        foreach (AlertRule rule in rules.Where(static r => r.Kind == AlertRuleKind.Threshold))
        {
            if (promql.ValueOf(rule, out string? why) is { } value)
            {
                alerts.Add((rule, $"{value} {rule.Comparison.Symbol()} {PromQl.Number(rule.Threshold)}"));
            }
            else
            {
                to.WriteLine($"# {rule.Name} ({rule.Metric}) stays in the process: {why}.");
            }
        }

        foreach (AlertRule rule in left)
        {
            to.WriteLine($"# {rule.Name} ({rule.Kind.ToString().ToLowerInvariant()} of {rule.Metric}) stays in the process: it learns each series' "
                + (rule.Kind == AlertRuleKind.Anomaly ? "expected band as it goes (a streaming detector's state), which PromQL cannot keep." : "trend with a confidence test on its residuals, which PromQL cannot express."));
        }

        foreach (SloDefinition slo in slos)
        {
            if (PromQl.LatencyBetweenBuckets(slo) is ({ } lower, { } upper))
            {
                string latency = PromQl.Duration(slo.Latency!.Value);
                to.WriteLine(double.IsPositiveInfinity(upper)
                    ? $"# {slo.Name}: its latency ({latency}) is above the largest exported bucket ({PromQl.Number(lower)}s): calls slower than that count as bad here, "
                        + "though the process counts them good up to the latency."
                    : $"# {slo.Name}: its latency ({latency}) lies between the exported buckets {PromQl.Number(lower)}s and {PromQl.Number(upper)}s, "
                        + "whose calls count as good in proportion, as if spread evenly: the recorded ratio can differ from the process's, which interpolates within buckets at most 12.5 % wide "
                        + "(with a latency on a boundary, by the calls of that one fine bucket at most).");
            }
        }

        // A burn rate that is the threshold on paper (72 failures in 1,000 calls against 99.5 % is 14.4x) computes as
        // 14.399999999999999: the engine's relative tolerance keeps such a window from being missed here too.
        string Threshold(SloBurnRate burn) => $"{PromQl.Number(burn.Rate)} * (1 - {BurnRateCondition.Tolerance.ToString("0e0", System.Globalization.CultureInfo.InvariantCulture)})";
        foreach (AlertRule rule in rules.Where(static r => r.Kind == AlertRuleKind.BurnRate))
        {
            SloBurnRate burn = rule.BurnRate!;
            string Burn(TimeSpan window) =>
                $"{promql.Recorded("slo", "sli_error", "ratio_rate" + PromQl.Duration(window))}{{slo={PromQl.Quote(burn.Slo.Name)}}} / {PromQl.Number(burn.Slo.ErrorBudget)}";
            alerts.Add((rule, $"{Burn(burn.LongWindow)} >= {Threshold(burn)} and {Burn(burn.ShortWindow)} >= {Threshold(burn)}"));
        }

        to.WriteLine("groups:");
        WriteRecordingRules(to, promql, slos);
        if (alerts.Count > 0)
        {
            to.WriteLine($"  - name: {AlertGroup}");
            to.WriteLine("    rules:");
            foreach ((AlertRule rule, string expression) in alerts)
            {
                WriteAlert(to, rule, expression);
            }
        }
    }

    private static void WriteRecordingRules(TextWriter to, PromQl promql, List<SloDefinition> slos)
    {
        string calls = promql.Metric("operation_calls_total");
        string callRate = promql.Recorded("instance", "operation_calls", "rate5m");
        string errorRate = promql.Recorded("instance", "operation_errors", "rate5m");
        to.WriteLine($"  - name: {RecordingGroup}");
        to.WriteLine("    rules:");
        void Record(string name, string expression, string? slo = null)
        {
            to.WriteLine($"      - record: {name}");
            to.WriteLine($"        expr: {Yaml(expression)}");
            if (slo is not null)
            {
                to.WriteLine("        labels:");
                to.WriteLine($"          slo: {Yaml(slo)}");
            }
        }

        Record(callRate, $"sum by ({PromQl.OperationLabels}) (rate({calls}[5m]))");
        Record(errorRate, $"sum by ({PromQl.OperationLabels}) (rate({calls}{{status=\"error\"}}[5m]))");
        Record(promql.Recorded("instance", "operation_error_ratio", "rate5m"), $"{errorRate} / {callRate}");
        Record(promql.Recorded("instance", "operation_duration_seconds", "p95_rate5m"),
            $"histogram_quantile(0.95, sum by ({PromQl.OperationLabels}, le) (rate({promql.Metric("operation_duration_seconds_bucket")}[5m])))");
        Record(promql.Recorded("instance", "total_cost_usd", "rate5m"), $"sum by ({PromQl.InstanceLabels}) (rate({promql.Metric("total_cost_usd")}[5m]))");
        foreach (SloDefinition slo in slos)
        {
            foreach (TimeSpan window in slo.BurnRates.SelectMany(static b => (TimeSpan[])[b.LongWindow, b.ShortWindow]).Distinct().Order())
            {
                Record(promql.Recorded("slo", "sli_error", "ratio_rate" + PromQl.Duration(window)), promql.ErrorRatio(slo, window), slo.Name);
            }
        }
    }

    private static void WriteAlert(TextWriter to, AlertRule rule, string expression)
    {
        to.WriteLine($"      - alert: {Yaml(rule.Name)}");
        to.WriteLine($"        expr: {Yaml(expression)}");
        if (rule.For > TimeSpan.Zero)
        {
            to.WriteLine($"        for: {PromQl.Duration(rule.For)}");
        }

        if (rule.KeepFiringFor > TimeSpan.Zero)
        {
            to.WriteLine($"        keep_firing_for: {PromQl.Duration(rule.KeepFiringFor)}");
        }

        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["severity"] = AlertRuleValidator.SeverityName(rule.Severity) };
        if (rule.BurnRate is { } burn)
        {
            labels["slo"] = burn.Slo.Name;
        }

        foreach ((string key, string value) in rule.Labels)
        {
            labels[key] = Template(value, rule) ?? value;
        }

        to.WriteLine("        labels:");
        foreach ((string key, string value) in labels)
        {
            to.WriteLine($"          {Key(key)}: {Yaml(value)}");
        }

        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var untranslated = new List<string>();
        foreach ((string key, string value) in rule.Annotations)
        {
            if (Template(value, rule) is { } translated)
            {
                annotations[key] = translated;
            }
            else
            {
                untranslated.Add(key);
            }
        }

        annotations.TryAdd("summary", rule.BurnRate is { } slo
            ? $"{rule.Condition()}: {{{{ $value | printf \"%.1f\" }}}}x over {PromQl.Duration(slo.LongWindow)}"
            : $"{rule.Condition()}: {{{{ $value }}}}");
        if (untranslated.Count > 0)
        {
            to.WriteLine($"        # left out: {string.Join(", ", untranslated)}, whose variables only the process works out");
        }

        to.WriteLine("        annotations:");
        foreach ((string key, string value) in annotations)
        {
            to.WriteLine($"          {Key(key)}: {Yaml(value)}");
        }
    }

    /// <summary>
    /// The template as Prometheus's templating reads it: <c>$value</c> and <c>$labels</c> as they are, the rule's fixed
    /// values (<c>$threshold</c>, <c>$slo</c>, <c>$objective</c>, ...) written in, a burn-rate rule's <c>$burn_rate</c>
    /// as <c>$value</c> (its long window's); null when it names a variable only the process works out.
    /// </summary>
    private static string? Template(string text, AlertRule rule)
    {
        bool known = true;
        string translated = Action().Replace(text, action => Variable().Replace(action.Value, match =>
        {
            string name = match.Groups["name"].Value;
            string? replacement = (name, rule.BurnRate) switch
            {
                ("value" or "labels", _) => match.Value,
                ("threshold", _) => GoNumber(rule.Threshold),
                (AlertVariables.Slo, { } burn) => PromQl.Quote(burn.Slo.Name),
                (AlertVariables.Objective, { } burn) => GoNumber(burn.Slo.Objective),
                (AlertVariables.BurnRate, not null) => "$value",
                (AlertVariables.BurnRateThreshold, { } burn) => GoNumber(burn.Rate),
                (AlertVariables.LongWindow, { } burn) => PromQl.Quote(PromQl.Duration(burn.LongWindow)),
                (AlertVariables.ShortWindow, { } burn) => PromQl.Quote(PromQl.Duration(burn.ShortWindow)),
                _ => null,
            };
            known &= replacement is not null;
            return replacement ?? match.Value;
        }));
        return known ? translated : null;
    }

    // A Go template float constant: printf "%.2f" needs a float, and "30" would be an integer.
    private static string GoNumber(double value)
    {
        string number = PromQl.Number(value);
        return number.Contains('.', StringComparison.Ordinal) ? number : number + ".0";
    }

    // Label names are plain YAML keys; an annotation name may be anything, so any other is quoted.
    private static string Key(string key) => AlertRuleValidator.IsLabelName(key) ? key : Yaml(key);

    /// <summary>A YAML scalar: single-quoted (only <c>'</c> doubled) unless it holds a control character, then double-quoted with escapes.</summary>
    private static string Yaml(string value) =>
        value.Any(char.IsControl) ? PromQl.Quote(value) : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"\{\{.*?\}\}", RegexOptions.Singleline)]
    private static partial Regex Action();

    [GeneratedRegex(@"\$(?<name>[a-zA-Z_][a-zA-Z0-9_]*)")]
    private static partial Regex Variable();
}
