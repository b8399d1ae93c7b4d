using System.Globalization;
using Maran.Instrument.Alerts;
using Microsoft.AspNetCore.Http;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// The alerts section, from the alert engine: active alerts, silences (set and ended from the page), rules, the
/// history (paged, by rule and severity), its analysis, and each SLO's error budget and burn rates. The analysis reads the whole day's history, so it is
/// computed again only when the history gains an entry, or every <see cref="AnalysisMaxAge"/> for the moving window.
/// </summary>
internal sealed class AlertsSection(AdvancedMonitoringSystem system, TimeProvider time) : DashboardSection("alerts", "Alerts")
{
    /// <summary>History entries reachable by paging at most (the newest); narrow by rule or severity to see older ones.</summary>
    internal const int MaxHistory = 2000;

    /// <summary>Active alerts listed at most, the most severe first.</summary>
    internal const int MaxActive = 500;

    /// <summary>The longest silence the page may set, in minutes (a week).</summary>
    internal const double MaxSilenceMinutes = 7 * 24 * 60;

    /// <summary>Labels a silence may match at most.</summary>
    internal const int MaxMatchers = 20;

    /// <summary>Characters of a label name or value, or of a comment, at most.</summary>
    internal const int MaxText = 500;

    /// <summary>The period the analysis covers.</summary>
    internal static readonly TimeSpan AnalysisPeriod = TimeSpan.FromDays(1);

    /// <summary>How long an analysis is reused while the history gains nothing.</summary>
    internal static readonly TimeSpan AnalysisMaxAge = TimeSpan.FromSeconds(30);

    private CachedAnalysis? _analysis;

    private AlertEngine Engine => system.Alerts;

    public override byte[] Render(DashboardFrame frame, SectionQuery query) =>
        DashboardJson.Serialize(Build(frame, query), DashboardJson.Default.AlertsView);

    /// <summary>The lower-case name of an enum value, as the page shows it: <c>warning</c>, <c>firing</c>.</summary>
    internal static string Word<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    public AlertsView Build(DashboardFrame frame, SectionQuery query)
    {
        bool enabled = system.Options.Alerts.Enabled;
        bool running = frame.Data.IsRunning;
        string? message = !enabled
            ? "Alerting is off (alerts.enabled: false): no rule is evaluated."
            : !running
                ? "Alert rules are evaluated while the monitoring system runs (AdvancedMonitoringSystem.Start); the history below is what was kept."
                : null;

        IReadOnlyList<Silence> silences = Engine.GetSilences();
        IReadOnlyList<Alert> active = frame.Data.Alerts;
        return new AlertsView(
            enabled,
            running,
            message,
            active.Count,
            [.. active.Take(MaxActive).Select(a => Active(a, silences))],
            [.. silences.OrderBy(static s => s.EndsAt).Select(Silence)],
            system.Options.Alerts.SilenceDuration.TotalMinutes,
            MaxSilenceMinutes,
            [.. Engine.GetRuleStatus()
                .OrderByDescending(static r => r.Firing)
                .ThenByDescending(static r => r.Pending)
                .ThenBy(static r => r.Rule.Name, StringComparer.Ordinal)
                .Select(static r => new AlertRuleView(
                    r.Rule.Name,
                    Word(r.Rule.Severity),
                    r.Rule.Kind == AlertRuleKind.BurnRate ? "slo" : AlertRuleValidator.KindName(r.Rule.Kind),
                    Condition(r.Rule),
                    r.LastEvaluatedAt,
                    r.Series,
                    r.Connected,
                    r.Pending,
                    r.Firing))],
            History(query),
            Analysis(),
            [.. Engine.GetSloStatus().Select(SloView.From)]);
    }

    /// <summary>Sets a silence asked for by the page; the answer is the status and its JSON body.</summary>
    public (int Status, byte[] Json) Silence(SilenceRequest request, string createdBy)
    {
        double minutes = request.Minutes ?? system.Options.Alerts.SilenceDuration.TotalMinutes;
        if (!double.IsFinite(minutes) || minutes < 1 || minutes > MaxSilenceMinutes)
        {
            return Error(StatusCodes.Status400BadRequest, string.Create(CultureInfo.InvariantCulture, $"A silence lasts from 1 minute to {MaxSilenceMinutes:0} minutes (a week)."));
        }

        string? comment = string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim();
        if (comment is { Length: > MaxText })
        {
            return Error(StatusCodes.Status400BadRequest, $"A comment is {MaxText} characters at most.");
        }

        IReadOnlyDictionary<string, string> matchers;
        if (!string.IsNullOrWhiteSpace(request.Fingerprint))
        {
            if (Engine.GetActiveAlerts().FirstOrDefault(a => a.Fingerprint == request.Fingerprint) is not { } alert)
            {
                return Error(StatusCodes.Status404NotFound, "No active alert has this fingerprint: it may have resolved. Silence it by its labels (matchers) instead.");
            }

            matchers = alert.Labels;
        }
        else if (request.Matchers is { Count: > 0 } given)
        {
            if (given.Count > MaxMatchers
                || given.Any(static m => string.IsNullOrWhiteSpace(m.Key) || m.Key.Length > MaxText || m.Value is null || m.Value.Length > MaxText))
            {
                return Error(StatusCodes.Status400BadRequest, $"A silence matches 1 to {MaxMatchers} labels, each with a name and a value of at most {MaxText} characters.");
            }

            matchers = given;
        }
        else
        {
            return Error(StatusCodes.Status400BadRequest, "Name the alert to silence (fingerprint) or the labels to match (matchers).");
        }

        Silence silence = Engine.AddSilence(matchers, TimeSpan.FromMinutes(minutes), comment, createdBy);
        return (StatusCodes.Status201Created, DashboardJson.Serialize(Silence(silence), DashboardJson.Default.SilenceView));
    }

    /// <summary>Ends a silence now, as the page asks.</summary>
    public (int Status, byte[] Json) Unsilence(Guid id) =>
        Engine.ExpireSilence(id)
            ? (StatusCodes.Status200OK, DashboardJson.Serialize(new SilenceExpired(id.ToString(), true), DashboardJson.Default.SilenceExpired))
            : Error(StatusCodes.Status404NotFound, "No such silence is in force: it may have ended already.");

    private static (int, byte[]) Error(int status, string message) =>
        (status, ProblemResponse.Json(status, message));

    private static ActiveAlertView Active(Alert alert, IReadOnlyList<Silence> silences) => new(
        alert.Fingerprint,
        alert.RuleName,
        Word(alert.Severity),
        Word(alert.State),
        double.IsFinite(alert.Value) ? alert.Value : null,
        alert.ActiveAt,
        alert.FiredAt,
        Labels(alert.Labels),
        Labels(alert.Annotations),
        silences.FirstOrDefault(s => s.Matches(alert.Labels)) is { } silence ? Silence(silence) : null,
        alert.SuppressedBy is { } by && !by.StartsWith("silence ", StringComparison.Ordinal) ? by : null);

    private static SilenceView Silence(Silence silence) =>
        new(silence.Id.ToString(), Labels(silence.Matchers), silence.StartsAt, silence.EndsAt, silence.Comment, silence.CreatedBy);

    private static LabelView[] Labels(IReadOnlyDictionary<string, string> labels) =>
        [.. labels.OrderBy(static l => l.Key, StringComparer.Ordinal).Select(static l => new LabelView(l.Key, l.Value))];

    // Anomaly, forecast and SLO rules say their condition in their own words; a threshold rule's shows its selector and window too.
    private static string Condition(AlertRule rule)
    {
        if (rule.Kind != AlertRuleKind.Threshold)
        {
            string selector = rule.Kind != AlertRuleKind.BurnRate && rule.Operation is { } op ? $" {{operation={op}{(rule.Component is { } comp ? ", component=" + comp : string.Empty)}}}" : string.Empty;
            return rule.Condition() + selector + (rule.For > TimeSpan.Zero ? " for " + AlertRuleValidator.ShortDuration(rule.For) : string.Empty);
        }

        string target = rule.Operation is { } operation ? $"{{operation={operation}{(rule.Component is { } c ? ", component=" + c : string.Empty)}}}" : string.Empty;
        string window = rule.Window is { } w ? $" over {w}" : string.Empty;
        string wait = rule.For > TimeSpan.Zero ? $" for {rule.For}" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{rule.Metric}{target}{window} {rule.Comparison.Symbol()} {rule.Threshold:0.####}{wait}");
    }

    private AlertHistoryView History(SectionQuery query)
    {
        AlertSeverity? severity = Enum.TryParse(query.Level, ignoreCase: true, out AlertSeverity s) ? s : null;
        string? rule = query.Filter.Length > 0 ? query.Filter : null;
        int page = Math.Min(query.Page, (MaxHistory - 1) / query.Size);
        int skip = page * query.Size;
        IReadOnlyList<AlertHistoryEntry> entries = Engine.GetAlertHistory(
            until: query.BeforeMoment,
            rule: rule,
            severity: severity,
            limit: Math.Min(skip + query.Size + 1, MaxHistory + 1));
        int reachableEnd = Math.Min(entries.Count, MaxHistory);
        return new AlertHistoryView(
            page,
            query.Size,
            entries.Count > skip + query.Size && skip + query.Size < MaxHistory,
            query.Before,
            rule,
            severity is { } sev ? Word(sev) : null,
            MaxHistory,
            [.. entries.Take(reachableEnd).Skip(skip).Take(query.Size).Select(Row)]);
    }

    private static AlertHistoryRowView Row(AlertHistoryEntry e) => new(
        e.Time.ToUnixTimeMilliseconds(),
        e.Kind == AlertHistoryKind.StateChange ? "state" : "delivery",
        e.Rule,
        Word(e.Severity),
        Word(e.State),
        e.PreviousState is { } previous ? Word(previous) : null,
        e.Fingerprint,
        e.Value is { } v && double.IsFinite(v) ? v : null,
        Labels(e.Labels),
        e.Channel,
        e.Attempt,
        e.Outcome is { } outcome ? Word(outcome) : null,
        e.Detail,
        e.DurationMs is { } d && double.IsFinite(d) ? Math.Round(d, 1) : null,
        e.AlertCount);

    private AlertAnalysisView Analysis()
    {
        DateTimeOffset now = time.GetUtcNow();
        AlertHistoryEntry? newest = Engine.GetAlertHistory(limit: 1) is [var first, ..] ? first : null;
        string marker = newest is null
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $"{newest.Time.UtcTicks}|{newest.Kind}|{newest.Rule}|{newest.State}|{newest.Fingerprint}|{newest.Channel}|{newest.Attempt}");
        CachedAnalysis? cached = Volatile.Read(ref _analysis);
        if (cached is not null && cached.Marker == marker && now - cached.At < AnalysisMaxAge && now >= cached.At)
        {
            return cached.View;
        }

        AlertAnalysis analysis = Engine.GetAlertAnalysis(AnalysisPeriod);
        var view = new AlertAnalysisView(
            analysis.Since,
            analysis.Until,
            analysis.MeanTimeToResolve?.TotalSeconds,
            [.. analysis.FiredBySeverity.OrderByDescending(static p => p.Key).Select(static p => new CountView(Word(p.Key), p.Value))],
            [.. analysis.Rules.Select(static r => new AlertRuleStatisticsView(r.Rule, Word(r.Severity), r.Fired, r.Resolved, r.PendingCleared, r.MeanTimeToResolve?.TotalSeconds, r.Flapping))],
            analysis.FlappingRules,
            [.. analysis.Channels.OrderBy(static c => c.Key, StringComparer.Ordinal).Select(static c => new ChannelStatisticsView(c.Key, c.Value.Delivered, c.Value.Failed, c.Value.Dropped))],
            analysis.FromMemoryOnly);
        Volatile.Write(ref _analysis, new CachedAnalysis(now, marker, view));
        return view;
    }

    private sealed record CachedAnalysis(DateTimeOffset At, string Marker, AlertAnalysisView View);
}
