namespace Maran.Instrument.Alerts;

/// <summary>Where a built-in metric comes from, which decides what a rule over it may say.</summary>
internal enum AlertMetricKind
{
    /// <summary>One value, or one per device, read from a component (health, costs).</summary>
    Gauge,

    /// <summary>One value per operation, read from the recorder at that moment.</summary>
    Operation,

    /// <summary>One value per operation, from the change between evaluations over the rule's window.</summary>
    OperationWindow,

    /// <summary>A value the program feeds.</summary>
    Custom,
}

/// <summary>A metric rules can name: its name, kind and what it means.</summary>
internal sealed record AlertMetricInfo(string Name, AlertMetricKind Kind, string Description)
{
    /// <summary>Every built-in metric, by name.</summary>
    internal static readonly IReadOnlyDictionary<string, AlertMetricInfo> BuiltIn = new[]
    {
        new AlertMetricInfo(AlertMetrics.CpuPercent, AlertMetricKind.Gauge, "system CPU use, percent"),
        new AlertMetricInfo(AlertMetrics.MemoryPercent, AlertMetricKind.Gauge, "system memory use, percent"),
        new AlertMetricInfo(AlertMetrics.DiskPercent, AlertMetricKind.Gauge, "disk use, percent"),
        new AlertMetricInfo(AlertMetrics.GpuPercent, AlertMetricKind.Gauge, "GPU utilisation, percent"),
        new AlertMetricInfo(AlertMetrics.GpuMemoryPercent, AlertMetricKind.Gauge, "GPU memory use, percent"),
        new AlertMetricInfo(AlertMetrics.HealthScore, AlertMetricKind.Gauge, "health score, 0 to 100"),
        new AlertMetricInfo(AlertMetrics.OperationP95Ms, AlertMetricKind.OperationWindow, "95th percentile duration, ms"),
        new AlertMetricInfo(AlertMetrics.OperationP99Ms, AlertMetricKind.OperationWindow, "99th percentile duration, ms"),
        new AlertMetricInfo(AlertMetrics.OperationMeanMs, AlertMetricKind.OperationWindow, "mean duration, ms"),
        new AlertMetricInfo(AlertMetrics.OperationErrorRate, AlertMetricKind.OperationWindow, "error rate, 0 to 1"),
        new AlertMetricInfo(AlertMetrics.OperationErrors, AlertMetricKind.OperationWindow, "errors in the window"),
        new AlertMetricInfo(AlertMetrics.OperationCallsPerSecond, AlertMetricKind.OperationWindow, "calls per second"),
        new AlertMetricInfo(AlertMetrics.OperationInFlight, AlertMetricKind.Operation, "calls in flight"),
        new AlertMetricInfo(AlertMetrics.CostPerHourUsd, AlertMetricKind.Gauge, "cost over the last hour, USD"),
        new AlertMetricInfo(AlertMetrics.CostPerDayUsd, AlertMetricKind.Gauge, "cost over the last day, USD"),
        new AlertMetricInfo(AlertMetrics.TokensPerMinute, AlertMetricKind.Gauge, "tokens per minute"),
        new AlertMetricInfo(AlertMetrics.ModelCostPerHourUsd, AlertMetricKind.Gauge, "one model's cost over the last hour, USD"),
        new AlertMetricInfo(AlertMetrics.ModelTokensPerMinute, AlertMetricKind.Gauge, "one model's tokens per minute"),
        new AlertMetricInfo(AlertMetrics.BudgetUsedPercent, AlertMetricKind.Gauge, "budget spent, percent"),
    }.ToDictionary(m => m.Name, StringComparer.Ordinal);

    /// <summary>Whether a rule over this metric selects operations (<c>operation</c>, <c>component</c>).</summary>
    internal bool IsPerOperation => Kind is AlertMetricKind.Operation or AlertMetricKind.OperationWindow;

    /// <summary>Whether a rule over this metric takes a <c>window</c>.</summary>
    internal bool IsWindowed => Kind == AlertMetricKind.OperationWindow;
}
