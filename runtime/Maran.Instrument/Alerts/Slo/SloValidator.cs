using System.Globalization;
using Maran.Instrument.Configuration;

namespace Maran.Instrument.Alerts;

/// <summary>
/// Checks one SLO of <c>alerts.slos</c> and builds it with the rules of its burn-rate alerts, reporting each problem
/// with the field it is in and a message that starts with the SLO's name.
/// </summary>
internal static class SloValidator
{
    /// <summary>The metric name burn-rate rules carry (no rule may name it).</summary>
    internal const string BurnRateMetric = "slo_burn_rate";

    internal static readonly TimeSpan MinWindow = TimeSpan.FromHours(1);

    internal static readonly TimeSpan MaxWindow = TimeSpan.FromDays(400);

    internal static SloDefinition? Check(SloOptions options, AlertRuleValidator.Report report)
    {
        bool ok = true;
        string slo = string.IsNullOrWhiteSpace(options.Name) ? "(unnamed)" : options.Name;
        void Fail(string field, string? value, string message)
        {
            ok = false;
            report(field, value, $"slo '{slo}': {message}");
        }

        if (string.IsNullOrWhiteSpace(options.Name))
        {
            Fail("name", options.Name, "every SLO needs a name");
        }
        else if (!AlertRuleValidator.IsLabelName(options.Name))
        {
            Fail("name", options.Name, "an SLO name is letters, digits and _, not starting with a digit (it names its rules and gauges)");
        }

        if (string.IsNullOrWhiteSpace(options.Operation))
        {
            Fail("operation", options.Operation, "every SLO needs the operation whose calls it counts");
        }

        if (options.Component is { } component && string.IsNullOrWhiteSpace(component))
        {
            Fail("component", component, "a component name cannot be empty");
        }

        if (options.Objective is not { } objective)
        {
            Fail("objective", null, "every SLO needs an objective, the share of good calls: 0.995 for 99.5 %");
            objective = 0;
        }
        else if (!(objective > 0 && objective < 1))
        {
            Fail("objective", objective.ToString(CultureInfo.InvariantCulture), "the objective is a share of calls, above 0 and below 1 (0.995 for 99.5 %)");
        }

        if (options.Latency is { } latency && latency <= TimeSpan.Zero)
        {
            Fail("latency", AlertRuleValidator.FormatDuration(latency), "the latency threshold must be longer than zero");
        }

        if (options.Window < MinWindow || options.Window > MaxWindow)
        {
            Fail("window", AlertRuleValidator.FormatDuration(options.Window), "the window is from 1h to 400d (30d by default)");
        }

        var burnRates = new List<(double Rate, TimeSpan Long, TimeSpan Short, AlertSeverity Severity, TimeSpan For)>();
        if (options.BurnRates.Count == 0)
        {
            burnRates.AddRange(SloDefinition.DefaultBurnRates.Select(static b => (b.Rate, b.Long, b.Short, b.Severity, TimeSpan.Zero)));
        }

        var longWindows = new HashSet<TimeSpan>();
        for (int i = 0; i < options.BurnRates.Count; i++)
        {
            BurnRateOptions burn = options.BurnRates[i];
            string at = $"burn_rates.{i}.";
            bool good = true;
            void Bad(string field, string? value, string message)
            {
                good = false;
                Fail(at + field, value, message);
            }

            if (burn.BurnRate is not { } rate || !double.IsFinite(rate) || rate <= 0)
            {
                Bad("burn_rate", burn.BurnRate?.ToString(CultureInfo.InvariantCulture), "every burn-rate alert needs a burn rate above 0 (14.4 pages at 2 % of a 30d budget an hour)");
                rate = 0;
            }

            if (burn.LongWindow is not { } longWindow || longWindow <= TimeSpan.Zero)
            {
                Bad("long_window", burn.LongWindow is { } l ? AlertRuleValidator.FormatDuration(l) : null, "every burn-rate alert needs a long window longer than zero (1h, 6h)");
                longWindow = TimeSpan.Zero;
            }
            else if (longWindow > options.Window)
            {
                Bad("long_window", AlertRuleValidator.FormatDuration(longWindow), "the long window cannot be longer than the SLO's window");
            }
            else if (!longWindows.Add(longWindow))
            {
                Bad("long_window", AlertRuleValidator.FormatDuration(longWindow), "another burn-rate alert of this SLO has this long window (it names the rule)");
            }

            if (burn.ShortWindow is not { } shortWindow || shortWindow <= TimeSpan.Zero)
            {
                Bad("short_window", burn.ShortWindow is { } s ? AlertRuleValidator.FormatDuration(s) : null, "every burn-rate alert needs a short window longer than zero (5m, 30m)");
                shortWindow = TimeSpan.Zero;
            }
            else if (longWindow > TimeSpan.Zero && shortWindow >= longWindow)
            {
                Bad("short_window", AlertRuleValidator.FormatDuration(shortWindow), "the short window must be shorter than the long window");
            }

            if (!Enum.IsDefined(burn.Severity))
            {
                Bad("severity", burn.Severity.ToString(), "the severity must be info, warning or critical");
            }

            if (burn.For < TimeSpan.Zero)
            {
                Bad("for", AlertRuleValidator.FormatDuration(burn.For), "'for' cannot be negative (0 fires at once)");
            }

            if (good)
            {
                burnRates.Add((rate, longWindow, shortWindow, burn.Severity, burn.For));
            }
        }

        var labels = Templates(options.Labels, "labels", Fail, forLabels: true);
        var annotations = Templates(options.Annotations, "annotations", Fail, forLabels: false);
        if (!ok)
        {
            return null;
        }

        if (!annotations.ContainsKey("summary")
            && AlertTemplate.TryParse(
                "SLO {{ $slo }} burns its error budget {{ $burn_rate | printf \"%.1f\" }}x over {{ $long_window }} and " +
                "{{ $burn_rate_short | printf \"%.1f\" }}x over {{ $short_window }} (alert at {{ $burn_rate_threshold }}x); " +
                "{{ $error_budget_remaining_percent | printf \"%.1f\" }} % of the budget is left",
                out AlertTemplate? summary,
                out _))
        {
            annotations["summary"] = summary!;
        }

        var definition = new SloDefinition(options.Name!, options.Operation!, options.Component, objective, options.Latency, options.Window);
        foreach ((double rate, TimeSpan longWindow, TimeSpan shortWindow, AlertSeverity severity, TimeSpan wait) in burnRates)
        {
            var burn = new SloBurnRate(definition, rate, longWindow, shortWindow);
            definition.BurnRates.Add(burn);
            definition.Rules.Add(new AlertRule(
                burn.RuleName, BurnRateMetric, definition.Operation, definition.Component, AlertComparison.GreaterThanOrEqual, rate,
                wait, TimeSpan.Zero, longWindow, severity, labels, annotations)
            {
                Kind = AlertRuleKind.BurnRate,
                BurnRate = burn,
            });
        }

        return definition;
    }

    private static Dictionary<string, AlertTemplate> Templates(
        Dictionary<string, string> texts, string section, AlertRuleValidator.Report fail, bool forLabels)
    {
        IReadOnlyCollection<string> available = AlertVariables.Of(AlertRuleKind.BurnRate);
        var templates = new Dictionary<string, AlertTemplate>(StringComparer.Ordinal);
        foreach ((string name, string text) in texts)
        {
            string field = section + "." + name;
            if (!AlertRuleValidator.IsLabelName(name) || (forLabels && name is "alertname" or "severity" or "slo"))
            {
                fail(field, text, $"'{name}' cannot be a {(forLabels ? "label" : "annotation")} name here (letters, digits and _; not alertname, severity or slo)");
            }
            else if (!AlertTemplate.TryParse(text ?? string.Empty, out AlertTemplate? template, out string? problem))
            {
                fail(field, text, "template error: " + problem);
            }
            else if (forLabels && template!.UsesValue)
            {
                fail(field, text, "a label cannot use $value or a rule variable: it would make a new alert at every evaluation (put it in an annotation)");
            }
            else if (template!.Variables.FirstOrDefault(v => !available.Contains(v)) is { } unknown)
            {
                fail(field, text, $"${unknown} is not a variable of SLO alerts (they have {string.Join(", ", available.Select(static v => "$" + v))})");
            }
            else
            {
                templates[name] = template;
            }
        }

        return templates;
    }
}
