namespace Maran.Instrument.Alerts;

/// <summary>Why a notification goes out.</summary>
internal enum AlertNotificationKind
{
    /// <summary>An alert of the group started firing (possibly with others still firing or just resolved).</summary>
    Changed,

    /// <summary>Nothing changed, the repeat interval passed and alerts are still firing.</summary>
    Repeat,

    /// <summary>Firing alerts sent again to keep them alive in a receiver that expires them (Alertmanager).</summary>
    Resend,
}

/// <summary>
/// One notification: one rule's group of alerts, the firing ones and those just resolved, in the shape of an
/// Alertmanager group (group, common labels and annotations).
/// </summary>
internal sealed class AlertNotification
{
    public AlertNotification(AlertRule rule, AlertNotificationKind kind, IReadOnlyList<Alert> alerts, DateTimeOffset at, Uri? externalUrl)
    {
        Rule = rule;
        Kind = kind;
        Alerts = alerts;
        At = at;
        ExternalUrl = externalUrl;
        GroupLabels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["alertname"] = rule.Name };
        CommonLabels = Common(alerts.Select(a => a.Labels));
        CommonAnnotations = Common(alerts.Select(a => a.Annotations));
    }

    public AlertRule Rule { get; }

    public AlertNotificationKind Kind { get; }

    public IReadOnlyList<Alert> Alerts { get; }

    public DateTimeOffset At { get; }

    public Uri? ExternalUrl { get; }

    public IReadOnlyDictionary<string, string> GroupLabels { get; }

    public IReadOnlyDictionary<string, string> CommonLabels { get; }

    public IReadOnlyDictionary<string, string> CommonAnnotations { get; }

    /// <summary><c>firing</c> when any alert fires, else <c>resolved</c>.</summary>
    public string Status => Alerts.Any(static a => a.State == AlertState.Firing) ? "firing" : "resolved";

    public int FiringCount => Alerts.Count(static a => a.State == AlertState.Firing);

    /// <summary>The Alertmanager group key: the group labels in its notation.</summary>
    public string GroupKey => "{}:{alertname=\"" + Rule.Name.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"}";

    private static SortedDictionary<string, string> Common(IEnumerable<IReadOnlyDictionary<string, string>> sets)
    {
        SortedDictionary<string, string>? common = null;
        foreach (IReadOnlyDictionary<string, string> set in sets)
        {
            if (common is null)
            {
                common = new SortedDictionary<string, string>(set.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), StringComparer.Ordinal);
                continue;
            }

            foreach (string key in common.Keys.ToList())
            {
                if (!set.TryGetValue(key, out string? value) || value != common[key])
                {
                    common.Remove(key);
                }
            }
        }

        return common ?? new SortedDictionary<string, string>(StringComparer.Ordinal);
    }
}
