using System.Globalization;

namespace Maran.Instrument.Alerts;

/// <summary>The fields of a rule as written, before they are checked.</summary>
internal sealed record AlertRuleFields(
    string? Name,
    string? Metric,
    string? Operation,
    string? Component,
    string? Comparison,
    double? Threshold,
    TimeSpan For,
    TimeSpan KeepFiringFor,
    TimeSpan? Window,
    AlertSeverity Severity,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    string? Kind = null,
    double? MinScore = null,
    string? Direction = null,
    double? Limit = null,
    TimeSpan? Horizon = null,
    TimeSpan? Lookback = null,
    string? Method = null);

/// <summary>
/// Checks a rule's fields the same way for the configuration file and the builder, reporting each problem with the
/// field it is in and a message that starts with the rule's name.
/// </summary>
internal static class AlertRuleValidator
{
    /// <summary>Receives one problem: the field (<c>metric</c>, <c>annotations.summary</c>), the value as written, and the message.</summary>
    internal delegate void Report(string field, string? value, string message);

    /// <summary>
    /// Checks <paramref name="fields"/>; returns the rule when nothing is wrong. <paramref name="isCustomMetric"/> says
    /// whether a name that is not built in is a declared custom metric; null leaves that check for later.
    /// </summary>
    internal static AlertRule? Check(AlertRuleFields fields, Func<string, bool>? isCustomMetric, Report report)
    {
        bool ok = true;
        string rule = string.IsNullOrWhiteSpace(fields.Name) ? "(unnamed)" : fields.Name;
        void Fail(string field, string? value, string message)
        {
            ok = false;
            report(field, value, $"rule '{rule}': {message}");
        }

        if (string.IsNullOrWhiteSpace(fields.Name))
        {
            Fail("name", fields.Name, "every rule needs a name");
        }
        else if (fields.Name.Any(char.IsControl))
        {
            Fail("name", fields.Name, "a rule name cannot hold control characters");
        }

        AlertMetricInfo? metric = null;
        if (string.IsNullOrWhiteSpace(fields.Metric))
        {
            Fail("metric", fields.Metric, "every rule needs a metric (" + KnownList() + ")");
        }
        else if (!AlertMetricInfo.BuiltIn.TryGetValue(fields.Metric, out metric) && isCustomMetric is not null && !isCustomMetric(fields.Metric))
        {
            Fail("metric", fields.Metric, $"unknown metric '{fields.Metric}'{Suggest(fields.Metric)}. Known metrics: {KnownList()}; " +
                 "a custom metric must be declared in alerts.custom_metrics, as a key of monitoring.health_thresholds, or with Alerts.DeclareMetric");
        }

        bool perOperation = metric?.IsPerOperation == true;
        if (!perOperation && (fields.Operation is not null || fields.Component is not null))
        {
            string field = fields.Operation is not null ? "operation" : "component";
            Fail(field, fields.Operation ?? fields.Component, $"only operation metrics (operation_*) select an operation; '{fields.Metric}' is not one");
        }

        if (fields.Operation is { } operation && string.IsNullOrWhiteSpace(operation))
        {
            Fail("operation", operation, "an operation name cannot be empty");
        }

        if (fields.Component is { } component && string.IsNullOrWhiteSpace(component))
        {
            Fail("component", component, "a component name cannot be empty");
        }

        AlertComparison comparison = AlertComparison.GreaterThan;
        if (!AlertComparisons.TryParse(fields.Comparison ?? ">", out comparison))
        {
            Fail("comparison", fields.Comparison, $"unknown comparison '{fields.Comparison}' (use {AlertComparisons.Accepted})");
        }

        AlertRuleKind kind = AlertRuleKind.Threshold;
        if (!TryParseKind(fields.Kind, out kind))
        {
            Fail("kind", fields.Kind, $"unknown kind '{fields.Kind}' (use threshold, anomaly or forecast)");
        }

        double threshold = 0;
        if (kind == AlertRuleKind.Threshold)
        {
            if (fields.Threshold is not { } given)
            {
                Fail("threshold", null, "every threshold rule needs a threshold");
            }
            else if (!double.IsFinite(given))
            {
                Fail("threshold", given.ToString(CultureInfo.InvariantCulture), "the threshold must be a finite number");
            }
            else
            {
                threshold = given;
            }
        }
        else if (fields.Threshold is { } unwanted)
        {
            Fail("threshold", unwanted.ToString(CultureInfo.InvariantCulture),
                $"only threshold rules take a threshold; a{(kind == AlertRuleKind.Anomaly ? "n anomaly rule takes min_score" : " forecast rule takes limit")}");
        }

        double minScore = DefaultMinScore;
        AnomalyDirection direction = AnomalyDirection.Both;
        if (kind == AlertRuleKind.Anomaly)
        {
            if (fields.MinScore is { } score)
            {
                if (!(score > 0 && score <= 1))
                {
                    Fail("min_score", score.ToString(CultureInfo.InvariantCulture), "min_score is an anomaly score, above 0 and at most 1");
                }
                else
                {
                    minScore = score;
                }
            }

            if (!TryParseDirection(fields.Direction, out direction))
            {
                Fail("direction", fields.Direction, $"unknown direction '{fields.Direction}' (use above, below or both)");
            }
        }
        else
        {
            OnlyFor(fields.MinScore?.ToString(CultureInfo.InvariantCulture), "min_score", "anomaly");
            OnlyFor(fields.Direction, "direction", "anomaly");
        }

        double? limit = null;
        TimeSpan horizon = TimeSpan.Zero;
        TimeSpan lookback = DefaultLookback;
        ForecastMethod method = ForecastMethod.Linear;
        if (kind == AlertRuleKind.Forecast)
        {
            if (!TryParseMethod(fields.Method, out method))
            {
                Fail("method", fields.Method, $"unknown method '{fields.Method}' (use linear, the default, or holt)");
            }

            if (fields.Limit is not { } given)
            {
                Fail("limit", null, "every forecast rule needs a limit (the value whose crossing is forecast)");
            }
            else if (!double.IsFinite(given))
            {
                Fail("limit", given.ToString(CultureInfo.InvariantCulture), "the limit must be a finite number");
            }
            else
            {
                limit = given;
            }

            if (comparison is AlertComparison.Equal or AlertComparison.NotEqual)
            {
                Fail("comparison", fields.Comparison, "a forecast rule forecasts a rise (> or >=, the default) or a fall (< or <=) to its limit");
            }

            if (fields.Horizon is not { } ahead)
            {
                Fail("horizon", null, "every forecast rule needs a horizon (how far ahead a crossing counts: 30m, 3h)");
            }
            else if (ahead <= TimeSpan.Zero)
            {
                Fail("horizon", FormatDuration(ahead), "the horizon must be longer than zero");
            }
            else
            {
                horizon = ahead;
            }

            if (fields.Lookback is { } back)
            {
                if (back <= TimeSpan.Zero)
                {
                    Fail("lookback", FormatDuration(back), "the lookback must be longer than zero");
                }
                else
                {
                    lookback = back;
                }
            }
        }
        else
        {
            OnlyFor(fields.Limit?.ToString(CultureInfo.InvariantCulture), "limit", "forecast");
            OnlyFor(fields.Horizon is { } h ? FormatDuration(h) : null, "horizon", "forecast");
            OnlyFor(fields.Lookback is { } l ? FormatDuration(l) : null, "lookback", "forecast");
            OnlyFor(fields.Method, "method", "forecast");
        }

        void OnlyFor(string? value, string field, string kindName)
        {
            if (value is not null)
            {
                Fail(field, value, $"only {kindName} rules take {field}; this rule is kind {KindName(kind)}");
            }
        }

        if (fields.For < TimeSpan.Zero)
        {
            Fail("for", FormatDuration(fields.For), "'for' cannot be negative (0 fires at once)");
        }

        if (fields.KeepFiringFor < TimeSpan.Zero)
        {
            Fail("keep_firing_for", FormatDuration(fields.KeepFiringFor), "'keep_firing_for' cannot be negative");
        }

        if (fields.Window is { } window)
        {
            if (metric is not null && !metric.IsWindowed)
            {
                Fail("window", FormatDuration(window), $"only windowed operation metrics take a window; '{fields.Metric}' is read as it is");
            }
            else if (window <= TimeSpan.Zero)
            {
                Fail("window", FormatDuration(window), "the window must be longer than zero");
            }
        }

        if (!Enum.IsDefined(fields.Severity))
        {
            Fail("severity", fields.Severity.ToString(), "the severity must be info, warning or critical");
        }

        var labels = new Dictionary<string, AlertTemplate>(StringComparer.Ordinal);
        foreach ((string name, string text) in fields.Labels)
        {
            string field = "labels." + name;
            if (!IsLabelName(name))
            {
                Fail(field, text, $"'{name}' is not a label name (letters, digits and _, not starting with a digit)");
            }
            else if (name is "alertname" or "severity")
            {
                Fail(field, text, $"'{name}' is set from the rule's {(name == "alertname" ? "name" : "severity")}");
            }
            else if (!AlertTemplate.TryParse(text ?? string.Empty, out AlertTemplate? template, out string? problem))
            {
                Fail(field, text, "template error: " + problem);
            }
            else if (template!.UsesValue)
            {
                Fail(field, text, "a label cannot use $value: it would make a new alert at every evaluation (put it in an annotation)");
            }
            else
            {
                labels[name] = template;
            }
        }

        var annotations = new Dictionary<string, AlertTemplate>(StringComparer.Ordinal);
        foreach ((string name, string text) in fields.Annotations)
        {
            string field = "annotations." + name;
            if (!IsLabelName(name))
            {
                Fail(field, text, $"'{name}' is not an annotation name (letters, digits and _, not starting with a digit)");
            }
            else if (!AlertTemplate.TryParse(text ?? string.Empty, out AlertTemplate? template, out string? problem))
            {
                Fail(field, text, "template error: " + problem);
            }
            else
            {
                annotations[name] = template!;
            }
        }

        IReadOnlyCollection<string> available = AlertVariables.Of(kind);
        foreach ((string name, AlertTemplate template) in annotations)
        {
            foreach (string variable in template.Variables.Where(v => !available.Contains(v)).Distinct())
            {
                string others = available.Count == 0 ? "threshold rules have $value, $threshold and $labels" : "this rule has " + string.Join(", ", available.Select(static v => "$" + v));
                Fail("annotations." + name, template.Text, $"${variable} is not a variable of {KindName(kind)} rules ({others})");
            }
        }

        if (!ok)
        {
            return null;
        }

        if (!annotations.ContainsKey("summary"))
        {
            string selector = fields.Operation is null ? string.Empty : " of {{ $labels.component }}/{{ $labels.operation }}";
            string text = kind switch
            {
                AlertRuleKind.Anomaly => $"{fields.Metric}{selector} is {{{{ $value }}}}, outside its expected band {{{{ $lower }}}} to {{{{ $upper }}}} (score {{{{ $score | printf \"%.2f\" }}}})",
                AlertRuleKind.Forecast => $"{fields.Metric}{selector} is {{{{ $value }}}} and is forecast to reach {{{{ $limit }}}} in {{{{ $eta }}}} (at {{{{ $eta_time }}}}); forecast {{{{ $forecast_range }}}}",
                _ => $"{fields.Metric}{selector} is {{{{ $value }}}} ({comparison.Symbol()} {{{{ $threshold }}}})",
            };
            if (AlertTemplate.TryParse(text, out AlertTemplate? summary, out _))
            {
                annotations["summary"] = summary!;
            }
        }

        return new AlertRule(
            fields.Name!, fields.Metric!, fields.Operation, fields.Component, comparison, threshold,
            fields.For, fields.KeepFiringFor, fields.Window, fields.Severity, labels, annotations)
        {
            Kind = kind,
            MinScore = minScore,
            Direction = direction,
            Limit = limit,
            Horizon = horizon,
            Lookback = lookback,
            Method = method,
        };
    }

    /// <summary>The <c>min_score</c> of an anomaly rule that gives none.</summary>
    internal const double DefaultMinScore = 0.5;

    /// <summary>The <c>lookback</c> of a forecast rule that gives none.</summary>
    internal static readonly TimeSpan DefaultLookback = TimeSpan.FromHours(1);

    /// <summary>A forecast method as written in the configuration: <c>linear</c> or <c>holt</c>.</summary>
    internal static string MethodName(ForecastMethod method) => method == ForecastMethod.Holt ? "holt" : "linear";

    internal static bool TryParseMethod(string? text, out ForecastMethod method)
    {
        method = ForecastMethod.Linear;
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "linear":
                return true;
            case "holt":
                method = ForecastMethod.Holt;
                return true;
            default:
                return false;
        }
    }

    internal static bool TryParseKind(string? text, out AlertRuleKind kind)
    {
        kind = AlertRuleKind.Threshold;
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "threshold":
                return true;
            case "anomaly":
                kind = AlertRuleKind.Anomaly;
                return true;
            case "forecast":
                kind = AlertRuleKind.Forecast;
                return true;
            default:
                return false;
        }
    }

    internal static bool TryParseDirection(string? text, out AnomalyDirection direction)
    {
        direction = AnomalyDirection.Both;
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "both":
                return true;
            case "above":
                direction = AnomalyDirection.Above;
                return true;
            case "below":
                direction = AnomalyDirection.Below;
                return true;
            default:
                return false;
        }
    }

    internal static string KindName(AlertRuleKind kind) => kind switch
    {
        AlertRuleKind.Anomaly => "anomaly",
        AlertRuleKind.Forecast => "forecast",
        AlertRuleKind.BurnRate => "burn_rate",
        _ => "threshold",
    };

    internal static string DirectionName(AnomalyDirection direction) => direction switch
    {
        AnomalyDirection.Above => "above",
        AnomalyDirection.Below => "below",
        _ => "both",
    };

    /// <summary>A duration as configuration writes it: <c>30d</c>, <c>6h</c>, <c>1h30m</c>, <c>5m</c>, <c>10s</c>.</summary>
    internal static string ShortDuration(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new System.Text.StringBuilder();
        void Part(long amount, string unit)
        {
            if (amount > 0)
            {
                text.Append(amount.ToString(CultureInfo.InvariantCulture)).Append(unit);
            }
        }

        Part(duration.Days, "d");
        Part(duration.Hours, "h");
        Part(duration.Minutes, "m");
        Part(duration.Seconds, "s");
        if (text.Length == 0)
        {
            Part((long)Math.Max(1, duration.TotalMilliseconds), "ms");
        }

        return text.ToString();
    }

    internal static bool IsLabelName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(static c => char.IsAsciiLetterOrDigit(c) || c == '_');

    internal static string SeverityName(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Info => "info",
        AlertSeverity.Warning => "warning",
        AlertSeverity.Critical => "critical",
        _ => "unknown",
    };

    internal static string FormatDuration(TimeSpan duration) =>
        duration.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s";

    private static string KnownList() => string.Join(", ", AlertMetricInfo.BuiltIn.Keys);

    private static string Suggest(string metric)
    {
        string? best = AlertMetricInfo.BuiltIn.Keys
            .Select(k => (Name: k, Distance: Distance(k, metric)))
            .Where(c => c.Distance <= 2)
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();
        return best is null ? string.Empty : $" (did you mean '{best}'?)";
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
