namespace Maran.Instrument.Alerts;

/// <summary>The mutable state of one alert inside its rule's evaluator; only the evaluator's thread touches it.</summary>
internal sealed class AlertInstance(string fingerprint, IReadOnlyDictionary<string, string> labels)
{
    public string Fingerprint { get; } = fingerprint;

    public IReadOnlyDictionary<string, string> Labels { get; } = labels;

    public IReadOnlyDictionary<string, string> Annotations { get; set; } = new Dictionary<string, string>();

    public AlertState State { get; set; } = AlertState.Inactive;

    public double Value { get; set; }

    /// <summary>What the rule's condition worked out at the last evaluation that saw the series, for the templates.</summary>
    public AlertVariables? Variables { get; set; }

    public DateTimeOffset ActiveAt { get; set; }

    public DateTimeOffset? FiredAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>The last evaluation at which the condition held, for <c>keep_firing_for</c>.</summary>
    public DateTimeOffset LastTrueAt { get; set; }

    public string? SuppressedBy { get; set; }

    public Alert ToAlert(AlertRule rule) => new()
    {
        Fingerprint = Fingerprint,
        RuleName = rule.Name,
        Severity = rule.Severity,
        State = State,
        Labels = Labels,
        Annotations = Annotations,
        Value = Value,
        ActiveAt = ActiveAt,
        FiredAt = FiredAt,
        ResolvedAt = ResolvedAt,
        SuppressedBy = SuppressedBy,
    };

    /// <summary>FNV-1a over the sorted label pairs, as hex: equal labels, equal fingerprint, in every process.</summary>
    public static string FingerprintOf(IReadOnlyDictionary<string, string> labels)
    {
        const ulong Offset = 14695981039346656037;
        const ulong Prime = 1099511628211;
        ulong hash = Offset;
        foreach ((string name, string value) in labels.OrderBy(static p => p.Key, StringComparer.Ordinal))
        {
            foreach (char c in name)
            {
                hash = (hash ^ c) * Prime;
            }

            hash = (hash ^ 0xFF) * Prime;
            foreach (char c in value)
            {
                hash = (hash ^ c) * Prime;
            }

            hash = (hash ^ 0xFF) * Prime;
        }

        return hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }
}
