namespace Maran.Instrument.Errors;

/// <summary>Errors over a window of hours: totals by type, category, component and severity, an hourly trend, the top groups and error rates.</summary>
public sealed record ErrorAnalytics
{
    /// <summary>The window, in hours, ending at <see cref="To"/>; it covers whole clock hours, the current one included.</summary>
    public required int Hours { get; init; }

    /// <summary>Start of the window (the start of its first hour).</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>End of the window (now).</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Errors in the window, cancellations included.</summary>
    public required long TotalErrors { get; init; }

    /// <summary>Errors by type.</summary>
    public required IReadOnlyDictionary<string, long> ByType { get; init; }

    /// <summary>Errors by category, keyed by <see cref="ErrorCategory"/> names in snake_case (<c>rate_limited</c>).</summary>
    public required IReadOnlyDictionary<string, long> ByCategory { get; init; }

    /// <summary>Errors by component.</summary>
    public required IReadOnlyDictionary<string, long> ByComponent { get; init; }

    /// <summary>Errors by severity, keyed <c>info</c>, <c>warning</c>, <c>error</c>, <c>critical</c>.</summary>
    public required IReadOnlyDictionary<string, long> BySeverity { get; init; }

    /// <summary>One point per hour of the window, oldest first, zeros included.</summary>
    public required IReadOnlyList<ErrorTrendPoint> HourlyTrend { get; init; }

    /// <summary>The groups with most occurrences in the window, most first.</summary>
    public required IReadOnlyList<ErrorGroup> TopGroups { get; init; }

    /// <summary>Per monitored operation: errors (cancellations excluded) over calls in the window.</summary>
    public required IReadOnlyList<OperationErrorRate> ErrorRates { get; init; }
}

/// <summary>Errors in one clock hour.</summary>
/// <param name="Hour">Start of the hour (UTC).</param>
/// <param name="Count">Errors in it.</param>
public sealed record ErrorTrendPoint(DateTimeOffset Hour, long Count);

/// <summary>How often one monitored operation failed in the window.</summary>
/// <param name="Component">The operation's component.</param>
/// <param name="Operation">The operation's name.</param>
/// <param name="Errors">
/// Failed calls in the window, cancellations excluded: errors raised in this operation, and failures raised in a
/// monitored call inside it that made it fail too (counted once as an error, where raised; those are kept in memory,
/// not across restarts).
/// </param>
/// <param name="Calls">Calls started in the window while the system ran.</param>
/// <param name="Rate">Errors / calls, or null when no call was counted.</param>
public sealed record OperationErrorRate(string Component, string Operation, long Errors, long Calls, double? Rate);
