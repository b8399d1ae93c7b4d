namespace Maran.Instrument.Health;

/// <summary>
/// The health of the system at one moment: a score from 0 to 100, its status word, the thresholds it violates
/// and the readings it was computed from.
/// </summary>
public sealed record HealthStatus
{
    /// <summary>When the readings were taken.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>100 less the penalty of every violated threshold, at least 0 (see <c>docs/health-score.md</c>).</summary>
    public required double Score { get; init; }

    /// <summary>The status: healthy, degraded or critical.</summary>
    public required HealthState State { get; init; }

    /// <summary>The status word: <c>healthy</c>, <c>degraded</c> or <c>critical</c>.</summary>
    public string Status => State switch
    {
        HealthState.Healthy => "healthy",
        HealthState.Degraded => "degraded",
        _ => "critical",
    };

    /// <summary>Every reading past its threshold, worst penalty first.</summary>
    public required IReadOnlyList<ThresholdViolation> Violations { get; init; }

    /// <summary>Thresholds that had no reading to check, each saying why (a custom metric never fed, a reading this platform lacks).</summary>
    public required IReadOnlyList<string> Unchecked { get; init; }

    /// <summary>The readings the status was computed from.</summary>
    public required HealthSnapshot Snapshot { get; init; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Status} ({Score.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)}/100)"
        + (Violations.Count == 0 ? string.Empty : ": " + string.Join("; ", Violations));
}
