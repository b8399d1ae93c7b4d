namespace Maran.Instrument.Alerts;

/// <summary>One alert of a rule (one per labelled series: an operation, a GPU), as it stands at one moment.</summary>
public sealed record Alert
{
    /// <summary>A hash of the sorted labels: the alert's identity across evaluations.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>The rule's name (the <c>alertname</c> label).</summary>
    public required string RuleName { get; init; }

    /// <summary>The rule's severity (the <c>severity</c> label).</summary>
    public required AlertSeverity Severity { get; init; }

    /// <summary>Pending, firing or resolved.</summary>
    public required AlertState State { get; init; }

    /// <summary>Every label: <c>alertname</c>, <c>severity</c>, the rule's labels and the series' own.</summary>
    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>The annotations with their templates filled in.</summary>
    public required IReadOnlyDictionary<string, string> Annotations { get; init; }

    /// <summary>The metric's last value.</summary>
    public required double Value { get; init; }

    /// <summary>When the condition became true (the start of pending).</summary>
    public required DateTimeOffset ActiveAt { get; init; }

    /// <summary>When the alert started firing; null while pending.</summary>
    public DateTimeOffset? FiredAt { get; init; }

    /// <summary>When the alert resolved; null while active.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>Why notifications are held back (a silence, or a critical alert of the same labels); null when they are not.</summary>
    public string? SuppressedBy { get; init; }
}
