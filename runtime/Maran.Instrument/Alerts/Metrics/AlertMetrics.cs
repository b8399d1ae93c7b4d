namespace Maran.Instrument.Alerts;

/// <summary>
/// The metric names alert rules can watch. Rules name one of these or a custom metric the program declares
/// (<c>alerts.custom_metrics</c>, a custom key of <c>monitoring.health_thresholds</c>, or
/// <see cref="AlertEngine.DeclareMetric"/>); any other name is an error at start naming the rule.
/// </summary>
public static class AlertMetrics
{
    /// <summary>System CPU use, percent of all cores (system health).</summary>
    public const string CpuPercent = "cpu_percent";

    /// <summary>System memory use, percent (system health).</summary>
    public const string MemoryPercent = "memory_percent";

    /// <summary>Disk use of the data directory's file system, percent (system health).</summary>
    public const string DiskPercent = "disk_percent";

    /// <summary>GPU utilisation per device, percent; label <c>gpu</c> (system health).</summary>
    public const string GpuPercent = "gpu_percent";

    /// <summary>GPU memory use per device, percent; label <c>gpu</c> (system health).</summary>
    public const string GpuMemoryPercent = "gpu_memory_percent";

    /// <summary>The health score, 0 (critical) to 100 (healthy).</summary>
    public const string HealthScore = "health_score";

    /// <summary>95th percentile duration of an operation's calls in the window, milliseconds; labels <c>operation</c>, <c>component</c>.</summary>
    public const string OperationP95Ms = "operation_p95_ms";

    /// <summary>99th percentile duration of an operation's calls in the window, milliseconds.</summary>
    public const string OperationP99Ms = "operation_p99_ms";

    /// <summary>Mean duration of an operation's timed calls in the window, milliseconds; labels <c>operation</c>, <c>component</c>.</summary>
    public const string OperationMeanMs = "operation_mean_ms";

    /// <summary>Failed calls divided by completed calls of an operation in the window, 0 to 1.</summary>
    public const string OperationErrorRate = "operation_error_rate";

    /// <summary>Failed calls of an operation in the window.</summary>
    public const string OperationErrors = "operation_errors";

    /// <summary>Completed calls of an operation per second over the window.</summary>
    public const string OperationCallsPerSecond = "operation_calls_per_second";

    /// <summary>Calls of an operation started and not yet ended.</summary>
    public const string OperationInFlight = "operation_in_flight";

    /// <summary>Cost in USD over the last hour (cost tracking).</summary>
    public const string CostPerHourUsd = "cost_per_hour_usd";

    /// <summary>Cost in USD over the last day (cost tracking).</summary>
    public const string CostPerDayUsd = "cost_per_day_usd";

    /// <summary>Model tokens per minute (cost tracking).</summary>
    public const string TokensPerMinute = "tokens_per_minute";

    /// <summary>Cost in USD of one model's calls over the last hour; label <c>model</c> (cost tracking).</summary>
    public const string ModelCostPerHourUsd = "model_cost_per_hour_usd";

    /// <summary>Input and output tokens of one model's calls per minute; label <c>model</c> (cost tracking).</summary>
    public const string ModelTokensPerMinute = "model_tokens_per_minute";

    /// <summary>Share of a budget spent, percent; label <c>budget</c> (<c>daily</c>, <c>monthly</c>) (cost tracking).</summary>
    public const string BudgetUsedPercent = "budget_used_percent";
}
