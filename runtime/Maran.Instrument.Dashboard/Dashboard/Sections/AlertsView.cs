namespace Maran.Instrument.Dashboard;

/// <summary>
/// The alerts section: every active alert (with the silence that holds it back, if any), the silences in force,
/// the rules, one page of the history, the analysis of the last day, and each SLO's budget and burn rates.
/// <see cref="Message"/> says why nothing is evaluated when alerting is off or the system is stopped.
/// </summary>
internal sealed record AlertsView(
    bool Enabled,
    bool Running,
    string? Message,
    int ActiveTotal,
    IReadOnlyList<ActiveAlertView> Active,
    IReadOnlyList<SilenceView> Silences,
    double DefaultSilenceMinutes,
    double MaxSilenceMinutes,
    IReadOnlyList<AlertRuleView> Rules,
    AlertHistoryView History,
    AlertAnalysisView Analysis,
    IReadOnlyList<SloView> Slos);

/// <summary>A label or annotation: a name and its value.</summary>
internal sealed record LabelView(string Name, string Value);

/// <summary>An alert now pending or firing; <see cref="Silence"/> is the silence in force that matches it.</summary>
internal sealed record ActiveAlertView(
    string Fingerprint,
    string Rule,
    string Severity,
    string State,
    double? Value,
    DateTimeOffset ActiveAt,
    DateTimeOffset? FiredAt,
    IReadOnlyList<LabelView> Labels,
    IReadOnlyList<LabelView> Annotations,
    SilenceView? Silence,
    string? SuppressedBy);

/// <summary>A silence in force: the labels it matches, until when, why and who set it.</summary>
internal sealed record SilenceView(string Id, IReadOnlyList<LabelView> Matchers, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Comment, string? CreatedBy);

/// <summary>A rule: its kind (threshold, anomaly, forecast, slo), its condition, when it was last evaluated, how many series it saw and its alerts now.</summary>
internal sealed record AlertRuleView(string Name, string Severity, string Kind, string Condition, DateTimeOffset? LastEvaluatedAt, int Series, bool Connected, int Pending, int Firing);

/// <summary>
/// One page of the alert history, newest first, optionally of one rule and severity; the newest
/// <see cref="AlertsSection.MaxHistory"/> entries are reachable by paging.
/// </summary>
internal sealed record AlertHistoryView(int Page, int Size, bool More, long? Before, string? Rule, string? Severity, int Reachable, IReadOnlyList<AlertHistoryRowView> Rows);

/// <summary>A state change of one alert, or one delivery attempt of one notification.</summary>
internal sealed record AlertHistoryRowView(
    long Time,
    string Kind,
    string Rule,
    string Severity,
    string State,
    string? PreviousState,
    string? Fingerprint,
    double? Value,
    IReadOnlyList<LabelView> Labels,
    string? Channel,
    int? Attempt,
    string? Outcome,
    string? Detail,
    double? DurationMs,
    int? AlertCount);

/// <summary>What the history of a period says: firings per severity and rule, time to resolve, flapping rules, deliveries per channel.</summary>
internal sealed record AlertAnalysisView(
    DateTimeOffset Since,
    DateTimeOffset Until,
    double? MeanSecondsToResolve,
    IReadOnlyList<CountView> FiredBySeverity,
    IReadOnlyList<AlertRuleStatisticsView> Rules,
    IReadOnlyList<string> Flapping,
    IReadOnlyList<ChannelStatisticsView> Channels,
    bool FromMemoryOnly);

/// <summary>One rule's figures in the analysis.</summary>
internal sealed record AlertRuleStatisticsView(string Rule, string Severity, int Fired, int Resolved, int PendingCleared, double? MeanSecondsToResolve, bool Flapping);

/// <summary>One channel's delivery figures in the analysis.</summary>
internal sealed record ChannelStatisticsView(string Channel, int Delivered, int Failed, int Dropped);

/// <summary>
/// What the page posts to silence alerts: the fingerprint of one active alert (its labels become the matchers), or
/// the labels to match; for how many minutes (<c>alerts.silence_duration</c> when absent) and why.
/// </summary>
internal sealed record SilenceRequest(string? Fingerprint, Dictionary<string, string>? Matchers, double? Minutes, string? Comment);

/// <summary>The answer to un-silencing: the silence and whether it was in force until now.</summary>
internal sealed record SilenceExpired(string Id, bool Expired);

/// <summary>What the page needs besides the data: the token its changes (POST) carry in <c>X-Maran-Csrf</c>.</summary>
internal sealed record SessionView(string Csrf, string CsrfHeader);
