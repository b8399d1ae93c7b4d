namespace Maran.Instrument.Alerts;

/// <summary>What the alert history says about a period: how often each rule fired, how fast alerts resolved, which rules flap.</summary>
public sealed record AlertAnalysis
{
    /// <summary>Start of the period.</summary>
    public required DateTimeOffset Since { get; init; }

    /// <summary>End of the period.</summary>
    public required DateTimeOffset Until { get; init; }

    /// <summary>Per rule and severity: firings, resolutions, mean time to resolve, flapping.</summary>
    public required IReadOnlyList<AlertRuleStatistics> Rules { get; init; }

    /// <summary>Alerts that started firing, per severity.</summary>
    public required IReadOnlyDictionary<AlertSeverity, int> FiredBySeverity { get; init; }

    /// <summary>Mean time from firing to resolved over every alert that resolved in the period; null when none did.</summary>
    public TimeSpan? MeanTimeToResolve { get; init; }

    /// <summary>Rules whose alerts started firing at least the flapping threshold's number of times in the period.</summary>
    public required IReadOnlyList<string> FlappingRules { get; init; }

    /// <summary>Per channel: attempts delivered, failed and dropped.</summary>
    public required IReadOnlyDictionary<string, AlertChannelStatistics> Channels { get; init; }

    /// <summary>Whether the figures come from memory only (the database was unavailable), so they cover this run only.</summary>
    public required bool FromMemoryOnly { get; init; }
}

/// <summary>One rule's figures in an <see cref="AlertAnalysis"/>.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Severity">Its severity.</param>
/// <param name="Fired">Times an alert of the rule started firing.</param>
/// <param name="Resolved">Times one resolved.</param>
/// <param name="PendingCleared">Times an alert went back from pending to inactive before firing (damped by <c>for</c>).</param>
/// <param name="MeanTimeToResolve">Mean time from firing to resolved; null when none resolved.</param>
/// <param name="Flapping">Whether it fired at least the flapping threshold's number of times.</param>
public sealed record AlertRuleStatistics(string Rule, AlertSeverity Severity, int Fired, int Resolved, int PendingCleared, TimeSpan? MeanTimeToResolve, bool Flapping);

/// <summary>One channel's delivery figures in an <see cref="AlertAnalysis"/>.</summary>
/// <param name="Delivered">Notifications delivered.</param>
/// <param name="Failed">Attempts that failed.</param>
/// <param name="Dropped">Notifications dropped before any attempt.</param>
public sealed record AlertChannelStatistics(int Delivered, int Failed, int Dropped);
