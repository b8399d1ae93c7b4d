namespace Maran.Instrument.Alerts;

/// <summary>One state change of one alert, for history and notifications.</summary>
internal readonly record struct AlertTransition(AlertRule Rule, AlertInstance Alert, AlertState From, AlertState To);

/// <summary>
/// One rule's alerts and their state machine: inactive → pending → firing → resolved, one alert per labelled
/// series, with the rule's condition deciding for each sample. Called by the engine's evaluation only, one
/// evaluation at a time.
/// </summary>
internal sealed class RuleEvaluator(AlertRule rule, IAlertMetricSource source, AlertCondition condition)
{
    /// <summary>How long a resolved alert stays visible (and in the group's notifications) before it is forgotten.</summary>
    internal static readonly TimeSpan ResolvedRetention = TimeSpan.FromMinutes(15);

    private readonly Dictionary<string, AlertInstance> _alerts = new(StringComparer.Ordinal);
    private readonly List<AlertSample> _samples = [];
    private object? _sourceState;

    public AlertRule Rule { get; } = rule;

    /// <summary>The alerts a notification of this rule has announced as firing and not yet as resolved.</summary>
    public HashSet<string> Notified { get; } = new(StringComparer.Ordinal);

    /// <summary>When this rule's group was last notified.</summary>
    public DateTimeOffset LastNotifiedAt { get; set; }

    /// <summary>When this rule's firing alerts were last sent to channels that want resends.</summary>
    public DateTimeOffset LastResentAt { get; set; }

    public DateTimeOffset? LastEvaluatedAt { get; private set; }

    public int LastSeriesCount { get; private set; }

    public IEnumerable<AlertInstance> Alerts => _alerts.Values;

    /// <summary>What decides whether a sample makes its alert's condition true (an anomaly rule's detectors, ...).</summary>
    public AlertCondition Condition { get; } = condition;

    /// <summary>Reads the metric and moves every alert of the rule on; appends the state changes.</summary>
    public void Evaluate(DateTimeOffset now, AlertEvaluationCycle cycle, List<AlertTransition> transitions)
    {
        _samples.Clear();
        var query = new AlertMetricQuery(Rule, now, cycle) { State = _sourceState };
        source.Read(query, _samples);
        _sourceState = query.State;
        LastEvaluatedAt = now;
        LastSeriesCount = _samples.Count;

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (AlertSample sample in _samples)
        {
            IReadOnlyDictionary<string, string> labels = LabelsOf(sample);
            string fingerprint = AlertInstance.FingerprintOf(labels);
            if (!seen.Add(fingerprint))
            {
                continue;
            }

            _alerts.TryGetValue(fingerprint, out AlertInstance? alert);
            if (!Condition.Holds(fingerprint, sample, now, out AlertVariables? variables))
            {
                if (alert is not null)
                {
                    alert.Value = sample.Value;
                    alert.Variables = variables ?? alert.Variables;
                    ConditionFalse(alert, now, transitions);
                }

                continue;
            }

            if (alert is null)
            {
                alert = new AlertInstance(fingerprint, labels);
                _alerts.Add(fingerprint, alert);
            }

            if (alert.State is AlertState.Inactive or AlertState.Resolved)
            {
                AlertState from = alert.State;
                alert.State = AlertState.Pending;
                alert.ActiveAt = now;
                alert.FiredAt = null;
                alert.ResolvedAt = null;
                transitions.Add(new AlertTransition(Rule, alert, from, AlertState.Pending));
            }

            alert.Value = sample.Value;
            alert.Variables = variables;
            alert.LastTrueAt = now;
            alert.Annotations = Render(alert);
            if (alert.State == AlertState.Pending && now - alert.ActiveAt >= Rule.For)
            {
                alert.State = AlertState.Firing;
                alert.FiredAt = now;
                transitions.Add(new AlertTransition(Rule, alert, AlertState.Pending, AlertState.Firing));
            }
        }

        Condition.EndEvaluation(seen, now);

        // A series that reported nothing is no data: its condition no longer holds.
        foreach (AlertInstance alert in _alerts.Values.Where(a => !seen.Contains(a.Fingerprint)).ToList())
        {
            ConditionFalse(alert, now, transitions);
        }
    }

    /// <summary>Forgets resolved alerts past their retention once their resolution has been notified.</summary>
    public void Forget(DateTimeOffset now)
    {
        foreach (AlertInstance alert in _alerts.Values.ToList())
        {
            if (alert.State == AlertState.Resolved && now - alert.ResolvedAt >= ResolvedRetention && !Notified.Contains(alert.Fingerprint))
            {
                _alerts.Remove(alert.Fingerprint);
            }
        }
    }

    private void ConditionFalse(AlertInstance alert, DateTimeOffset now, List<AlertTransition> transitions)
    {
        switch (alert.State)
        {
            case AlertState.Pending:
                alert.State = AlertState.Inactive;
                _alerts.Remove(alert.Fingerprint);
                transitions.Add(new AlertTransition(Rule, alert, AlertState.Pending, AlertState.Inactive));
                break;
            case AlertState.Firing when now - alert.LastTrueAt >= Rule.KeepFiringFor:
                alert.State = AlertState.Resolved;
                alert.ResolvedAt = now;
                alert.Annotations = Render(alert);
                transitions.Add(new AlertTransition(Rule, alert, AlertState.Firing, AlertState.Resolved));
                break;
        }
    }

    private SortedDictionary<string, string> LabelsOf(AlertSample sample)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (sample.Labels is not null)
        {
            foreach ((string name, string value) in sample.Labels)
            {
                labels[name] = value;
            }
        }

        var seriesLabels = new Dictionary<string, string>(labels, StringComparer.Ordinal);
        foreach ((string name, AlertTemplate template) in Rule.LabelTemplates)
        {
            labels[name] = template.Render(sample.Value, Rule.Threshold, seriesLabels);
        }

        labels["alertname"] = Rule.Name;
        labels["severity"] = AlertRuleValidator.SeverityName(Rule.Severity);
        return labels;
    }

    private Dictionary<string, string> Render(AlertInstance alert)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string name, AlertTemplate template) in Rule.AnnotationTemplates)
        {
            annotations[name] = template.Render(alert.Value, Rule.Threshold, alert.Labels, alert.Variables);
        }

        return annotations;
    }
}
