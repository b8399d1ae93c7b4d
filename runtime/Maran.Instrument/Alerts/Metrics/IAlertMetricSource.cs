using Maran.Instrument.Profiling;

namespace Maran.Instrument.Alerts;

/// <summary>
/// Gives the current values of the metrics it owns. Read once per rule per evaluation, on the evaluator's thread,
/// never on the hot path. Reporting nothing means "no data": the rule's alerts go inactive (or resolve).
/// </summary>
internal interface IAlertMetricSource
{
    /// <summary>Appends the samples of <see cref="AlertMetricQuery.Rule"/>'s metric to <paramref name="samples"/>.</summary>
    void Read(AlertMetricQuery query, List<AlertSample> samples);
}

/// <summary>One read of one rule's metric: the rule, the moment, and a slot the source keeps per rule between reads.</summary>
internal sealed class AlertMetricQuery(AlertRule rule, DateTimeOffset now, AlertEvaluationCycle cycle)
{
    /// <summary>The rule whose metric is read.</summary>
    public AlertRule Rule { get; } = rule;

    /// <summary>The evaluation time, from the engine's clock.</summary>
    public DateTimeOffset Now { get; } = now;

    /// <summary>What the whole evaluation shares (one snapshot per operation).</summary>
    public AlertEvaluationCycle Cycle { get; } = cycle;

    /// <summary>The source's own per-rule state (the history windowed metrics need), kept by the rule between reads.</summary>
    public object? State { get; set; }
}

/// <summary>What one evaluation of every rule shares: the recorder snapshots, taken once.</summary>
internal sealed class AlertEvaluationCycle
{
    private List<OperationSnapshot>? _operations;

    /// <summary>Every operation's tallies at this evaluation, taken on first use.</summary>
    public IReadOnlyList<OperationSnapshot> Operations =>
        _operations ??= [.. OperationRegistry.All.Select(static r => r.Snapshot())];
}
