namespace Maran.Instrument.Alerts;

/// <summary>How one rule is doing: when it was last evaluated, how many series its metric had, and whether anything feeds it.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="LastEvaluatedAt">The last evaluation; null before the first.</param>
/// <param name="Series">Series the metric reported at the last evaluation; 0 is "no data".</param>
/// <param name="Connected">False when the metric's source (system health, costs) is not connected yet, so the rule cannot fire.</param>
/// <param name="Pending">Alerts of the rule now pending.</param>
/// <param name="Firing">Alerts of the rule now firing.</param>
public sealed record AlertRuleStatus(AlertRule Rule, DateTimeOffset? LastEvaluatedAt, int Series, bool Connected, int Pending, int Firing);
