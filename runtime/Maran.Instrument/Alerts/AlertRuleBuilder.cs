using Maran.Instrument.Configuration;

namespace Maran.Instrument.Alerts;

/// <summary>Builds an <see cref="AlertRule"/> in code; <see cref="Build"/> checks it as the configuration would.</summary>
public sealed class AlertRuleBuilder
{
    private readonly string _name;
    private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _annotations = new(StringComparer.Ordinal);
    private string? _metric;
    private string? _operation;
    private string? _component;
    private AlertComparison _comparison = AlertComparison.GreaterThan;
    private double? _threshold;
    private TimeSpan _for;
    private TimeSpan _keepFiringFor;
    private TimeSpan? _window;
    private AlertSeverity _severity = AlertSeverity.Warning;
    private AlertRuleKind _kind = AlertRuleKind.Threshold;
    private double? _minScore;
    private AnomalyDirection? _direction;
    private double? _limit;
    private TimeSpan? _horizon;
    private TimeSpan? _lookback;
    private ForecastMethod? _method;

    internal AlertRuleBuilder(string name) => _name = name;

    /// <summary>The metric to watch: an <see cref="AlertMetrics"/> name or a declared custom metric.</summary>
    public AlertRuleBuilder When(string metric)
    {
        _metric = metric;
        return this;
    }

    /// <summary>For operation metrics: watch only operation <paramref name="name"/> (of <paramref name="component"/>, if given).</summary>
    public AlertRuleBuilder ForOperation(string name, string? component = null)
    {
        _operation = name;
        _component = component;
        return this;
    }

    /// <summary>Fires while the value is above <paramref name="threshold"/>.</summary>
    public AlertRuleBuilder Above(double threshold) => Compare(AlertComparison.GreaterThan, threshold);

    /// <summary>Fires while the value is below <paramref name="threshold"/>.</summary>
    public AlertRuleBuilder Below(double threshold) => Compare(AlertComparison.LessThan, threshold);

    /// <summary>Fires while the value compares true with <paramref name="threshold"/>.</summary>
    public AlertRuleBuilder Compare(AlertComparison comparison, double threshold)
    {
        _comparison = comparison;
        _threshold = threshold;
        return this;
    }

    /// <summary>
    /// Makes this an anomaly rule: its condition holds while the series' streaming anomaly detector scores the value at
    /// least <paramref name="minScore"/> (0 to 1) on the <paramref name="direction"/> side of the expected band.
    /// </summary>
    public AlertRuleBuilder Anomalous(double minScore = AlertRuleValidator.DefaultMinScore, AnomalyDirection direction = AnomalyDirection.Both)
    {
        _kind = AlertRuleKind.Anomaly;
        _minScore = minScore;
        _direction = direction;
        return this;
    }

    /// <summary>
    /// Makes this a forecast rule: its condition holds while the series' trend, fitted over about
    /// <paramref name="lookback"/> (1 hour unless given) by <paramref name="method"/>, is forecast to reach
    /// <paramref name="limit"/> within <paramref name="horizon"/>.
    /// </summary>
    public AlertRuleBuilder Forecast(double limit, TimeSpan horizon, TimeSpan? lookback = null, ForecastMethod method = ForecastMethod.Linear)
    {
        _method = method;
        _kind = AlertRuleKind.Forecast;
        _limit = limit;
        _horizon = horizon;
        _lookback = lookback;
        return this;
    }

    /// <summary>How long the condition must hold before the alert fires.</summary>
    public AlertRuleBuilder For(TimeSpan duration)
    {
        _for = duration;
        return this;
    }

    /// <summary>How long a firing alert keeps firing after its condition clears.</summary>
    public AlertRuleBuilder KeepFiringFor(TimeSpan duration)
    {
        _keepFiringFor = duration;
        return this;
    }

    /// <summary>For windowed operation metrics: the window the value is computed over.</summary>
    public AlertRuleBuilder Over(TimeSpan window)
    {
        _window = window;
        return this;
    }

    /// <summary>The severity (warning unless set).</summary>
    public AlertRuleBuilder WithSeverity(AlertSeverity severity)
    {
        _severity = severity;
        return this;
    }

    /// <summary>Adds a label to the rule's alerts; <c>{{ $labels.x }}</c> templates allowed.</summary>
    public AlertRuleBuilder Label(string name, string value)
    {
        _labels[name] = value;
        return this;
    }

    /// <summary>Adds an annotation to the rule's alerts; <c>{{ $value }}</c> and <c>{{ $labels.x }}</c> templates allowed.</summary>
    public AlertRuleBuilder Annotation(string name, string value)
    {
        _annotations[name] = value;
        return this;
    }

    /// <summary>Checks and builds the rule.</summary>
    /// <exception cref="MonitoringConfigurationException">Something is wrong; each problem names the rule and the field.</exception>
    public AlertRule Build()
    {
        var errors = new List<ConfigurationError>();
        var fields = new AlertRuleFields(
            _name, _metric, _operation, _component, _comparison.Symbol(), _kind == AlertRuleKind.Threshold ? _threshold : null, _for, _keepFiringFor, _window, _severity, _labels, _annotations,
            AlertRuleValidator.KindName(_kind), _minScore, _direction is { } direction ? AlertRuleValidator.DirectionName(direction) : null, _limit, _horizon, _lookback, _method is { } m ? AlertRuleValidator.MethodName(m) : null);
        AlertRule? rule = AlertRuleValidator.Check(fields, isCustomMetric: null, (field, value, message) =>
            errors.Add(new ConfigurationError($"alerts.rules[{_name}].{field}", value, "code", message)));
        return rule ?? throw new MonitoringConfigurationException(errors);
    }
}
