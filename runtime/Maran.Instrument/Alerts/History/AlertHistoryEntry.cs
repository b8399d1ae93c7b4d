namespace Maran.Instrument.Alerts;

/// <summary>What an alert history entry records.</summary>
public enum AlertHistoryKind
{
    /// <summary>An alert changed state (pending, firing, resolved, back to inactive).</summary>
    StateChange,

    /// <summary>A channel tried to deliver a notification, or dropped it.</summary>
    Delivery,
}

/// <summary>How one delivery attempt ended.</summary>
public enum AlertDeliveryOutcome
{
    /// <summary>The channel accepted the notification.</summary>
    Delivered,

    /// <summary>The attempt failed; <see cref="AlertHistoryEntry.Detail"/> says why.</summary>
    Failed,

    /// <summary>The notification never reached the channel: its queue was full, or monitoring stopped.</summary>
    Dropped,
}

/// <summary>One row of alert history: a state change of one alert, or one delivery attempt of one notification.</summary>
public sealed record AlertHistoryEntry
{
    /// <summary>When it happened.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>State change or delivery.</summary>
    public required AlertHistoryKind Kind { get; init; }

    /// <summary>The rule.</summary>
    public required string Rule { get; init; }

    /// <summary>The rule's severity.</summary>
    public required AlertSeverity Severity { get; init; }

    /// <summary>For a state change, the new state; for a delivery, <see cref="AlertState.Firing"/> or <see cref="AlertState.Resolved"/> as the notification said.</summary>
    public required AlertState State { get; init; }

    /// <summary>For a state change, the state before.</summary>
    public AlertState? PreviousState { get; init; }

    /// <summary>For a state change, the alert's fingerprint.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>For a state change, the metric's value.</summary>
    public double? Value { get; init; }

    /// <summary>For a state change, the alert's labels; for a delivery, the group's common labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>For a resolution, when the alert had started firing (for the time to resolve).</summary>
    public DateTimeOffset? FiringSince { get; init; }

    /// <summary>For a delivery, the channel.</summary>
    public string? Channel { get; init; }

    /// <summary>For a delivery, the attempt number (1 for the first; 0 for a drop).</summary>
    public int? Attempt { get; init; }

    /// <summary>For a delivery, how it ended.</summary>
    public AlertDeliveryOutcome? Outcome { get; init; }

    /// <summary>For a failed or dropped delivery, why. Never holds a secret.</summary>
    public string? Detail { get; init; }

    /// <summary>For a delivery, how long the attempt took.</summary>
    public double? DurationMs { get; init; }

    /// <summary>For a delivery, how many alerts the notification carried.</summary>
    public int? AlertCount { get; init; }

    /// <summary>This process run and the entry's number in it: the key that merges memory and database answers.</summary>
    internal (string Run, long Sequence) Key { get; init; }
}
