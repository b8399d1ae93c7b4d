using Maran.Instrument.Configuration;
using Maran.Instrument.Diagnostics;

namespace Maran.Instrument.Alerts;

/// <summary>
/// The alerting engine: evaluates threshold rules on a background timer (the health interval), moves each alert
/// through inactive → pending → firing → resolved, and hands notifications to the configured channels (console,
/// file, webhook, e-mail, Alertmanager), each behind its own bounded queue. Every state change and delivery
/// attempt goes to the history. Nothing here runs on a monitored call's path.
/// </summary>
/// <example>
/// <code>
/// var monitoring = AdvancedMonitoringSystem.Default;
/// monitoring.Alerts.DeclareMetric("queue_depth");
/// monitoring.Alerts.AddRule(AlertRule.Create("QueueBacklog").When("queue_depth").Above(100)
///     .For(TimeSpan.FromSeconds(30)).WithSeverity(AlertSeverity.Critical).Build());
/// monitoring.Start();
/// monitoring.Alerts.SetCustomMetric("queue_depth", queue.Count);
/// </code>
/// </example>
public sealed class AlertEngine : IMonitoringService
{
    private readonly MonitoringOptions _options;
    private readonly IReadOnlyList<AlertChannelKind> _channelKinds;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly object _customGate = new();
    private readonly List<AlertRule> _codeRules = [];
    private readonly List<Silence> _silences = [];
    private List<RuleEvaluator> _evaluators = [];
    private List<AlertDispatcher> _dispatchers = [];
    private Dictionary<string, SloTracker> _slos = new(StringComparer.Ordinal);
    private ITimer? _timer;
    private bool _running;
    private int _evaluating;

    internal AlertEngine(MonitoringOptions options, IAlertHistoryPersistence history, TimeProvider time, IReadOnlyList<AlertChannelKind>? channels = null)
    {
        _options = options;
        _channelKinds = channels ?? [];
        _time = time;
        History = new AlertHistory(history, time, Math.Max(0, options.Alerts.HistoryInMemory));
    }

    string IMonitoringService.Name => "alerts";

    /// <summary>Where each metric's values come from; health and cost components connect theirs here.</summary>
    internal AlertMetricRegistry Metrics { get; } = new();

    internal AlertHistory History { get; }

    /// <summary>Where the console channel writes; standard output unless a test says otherwise.</summary>
    internal TextWriter? ConsoleOutput { get; set; }

    /// <summary>Channels added besides the configured ones (taken at start), for components and tests that receive notifications in process.</summary>
    internal List<IAlertChannel> ExtraChannels { get; } = [];

    private AlertSettings Settings => _options.Alerts;

    /// <summary>Every rule in force: the default health rules, the configured ones and those added in code.</summary>
    public IReadOnlyList<AlertRule> Rules
    {
        get
        {
            lock (_gate)
            {
                return _running ? [.. _evaluators.Select(static e => e.Rule)] : BuildRules(BuildSlos());
            }
        }
    }

    /// <summary>
    /// Adds a rule built with <see cref="AlertRule.Create"/>, replacing one of the same name and severity. Its metric
    /// must be built in or declared (<see cref="DeclareMetric"/>).
    /// </summary>
    /// <exception cref="MonitoringConfigurationException">The metric is unknown; the message names the rule and the field.</exception>
    public void AddRule(AlertRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var errors = new List<ConfigurationError>();
        AlertRuleValidator.Check(ToFields(rule), IsCustomMetric, (field, value, message) =>
            errors.Add(new ConfigurationError($"alerts.rules[{rule.Name}].{field}", value, "code", message)));
        if (errors.Count > 0)
        {
            throw new MonitoringConfigurationException(errors);
        }

        lock (_gate)
        {
            _codeRules.RemoveAll(r => r.Name == rule.Name && r.Severity == rule.Severity);
            _codeRules.Add(rule);
            if (_running)
            {
                _evaluators.RemoveAll(e => e.Rule.Name == rule.Name && e.Rule.Severity == rule.Severity);
                _evaluators.Add(CreateEvaluator(rule));
            }
        }
    }

    /// <summary>Declares a metric the program will feed with <see cref="SetCustomMetric"/>, so rules may watch it.</summary>
    /// <exception cref="ArgumentException">The name is not a metric name, or is a built-in metric.</exception>
    public void DeclareMetric(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!AlertRuleValidator.IsLabelName(name))
        {
            throw new ArgumentException($"'{name}' is not a metric name: letters, digits and _, not starting with a digit.", nameof(name));
        }

        if (AlertMetricInfo.BuiltIn.ContainsKey(name))
        {
            throw new ArgumentException($"'{name}' is a built-in metric; declare only metrics the program feeds.", nameof(name));
        }

        lock (_customGate)
        {
            if (!Settings.CustomMetrics.Contains(name, StringComparer.Ordinal))
            {
                Settings.CustomMetrics.Add(name);
            }
        }
    }

    /// <summary>
    /// Sets the current value of custom metric <paramref name="name"/> (declaring it if needed), optionally for one
    /// labelled series of it. Rules see the last value at their next evaluation; a value that is not finite is ignored.
    /// </summary>
    /// <remarks>Never blocks on an evaluation and never throws: a name that cannot be a metric is counted as an internal error and ignored.</remarks>
    public void SetCustomMetric(string name, double value, IReadOnlyDictionary<string, string>? labels = null)
    {
        try
        {
            if (!Metrics.Custom.Knows(name) && !IsCustomMetric(name))
            {
                DeclareMetric(name);
            }

            if (double.IsFinite(value))
            {
                Metrics.Custom.Set(name, value, labels);
            }
        }
        catch (ArgumentException ex)
        {
            MonitoringDiagnostics.InternalError("custom metric", ex);
        }
    }

    /// <summary>Forgets every value of custom metric <paramref name="name"/>: its rules see no data, and their alerts resolve.</summary>
    public void ClearCustomMetric(string name) => Metrics.Custom.Clear(name);

    /// <summary>Alerts now pending or firing, most severe first.</summary>
    public IReadOnlyList<Alert> GetActiveAlerts()
    {
        lock (_gate)
        {
            return [.. _evaluators
                .SelectMany(e => e.Alerts.Where(static a => a.State is AlertState.Pending or AlertState.Firing).Select(a => a.ToAlert(e.Rule)))
                .OrderByDescending(static a => a.Severity)
                .ThenByDescending(static a => a.State)
                .ThenBy(static a => a.RuleName, StringComparer.Ordinal)];
        }
    }

    /// <summary>Every rule with its last evaluation, how many series it saw and how many alerts it has.</summary>
    public IReadOnlyList<AlertRuleStatus> GetRuleStatus()
    {
        lock (_gate)
        {
            return [.. _evaluators.Select(e => new AlertRuleStatus(
                e.Rule,
                e.LastEvaluatedAt,
                e.LastSeriesCount,
                !AlertMetricInfo.BuiltIn.TryGetValue(e.Rule.Metric, out AlertMetricInfo? info) || info.Kind != AlertMetricKind.Gauge || Metrics.Connected.IsConnected(e.Rule.Metric),
                e.Alerts.Count(static a => a.State == AlertState.Pending),
                e.Alerts.Count(static a => a.State == AlertState.Firing)))];
        }
    }

    /// <summary>
    /// Every SLO of <c>alerts.slos</c> with its calls over its window, the share of its error budget left and its burn
    /// rates now; empty while the engine is not running.
    /// </summary>
    public IReadOnlyList<SloStatus> GetSloStatus()
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            return [.. _slos.Values.Select(t => t.Status(now))];
        }
    }

    /// <summary>Every series an anomaly rule watches, with its latest score and recent points.</summary>
    internal IReadOnlyList<AnomalyReading> GetAnomalies()
    {
        lock (_gate)
        {
            return [.. _evaluators
                .Where(static e => e.Condition is AnomalyCondition)
                .SelectMany(static e => ((AnomalyCondition)e.Condition).Series)
                .Where(static s => s.Latest is not null)
                .Select(static s => new AnomalyReading(s.Rule.Name, s.Rule.Severity, s.Rule.Metric, s.Name, s.Labels, s.Latest!.Value, s.Trail()))];
        }
    }

    /// <summary>
    /// Silences every alert whose labels include all of <paramref name="matchers"/> for <paramref name="duration"/>
    /// (<c>alerts.silence_duration</c> when null). Alerts keep their state; their notifications are held back.
    /// </summary>
    /// <exception cref="ArgumentException">No matcher is given (that would silence everything), or the duration is not positive.</exception>
    public Silence AddSilence(IReadOnlyDictionary<string, string> matchers, TimeSpan? duration = null, string? comment = null, string? createdBy = null)
    {
        ArgumentNullException.ThrowIfNull(matchers);
        if (matchers.Count == 0)
        {
            throw new ArgumentException("A silence needs at least one label to match; an empty one would silence every alert.", nameof(matchers));
        }

        TimeSpan length = duration ?? Settings.SilenceDuration;
        if (length <= TimeSpan.Zero)
        {
            throw new ArgumentException("A silence must last longer than zero.", nameof(duration));
        }

        DateTimeOffset now = _time.GetUtcNow();
        var silence = new Silence(Guid.NewGuid(), new Dictionary<string, string>(matchers, StringComparer.Ordinal), now, now + length, comment, createdBy);
        lock (_gate)
        {
            _silences.Add(silence);
        }

        return silence;
    }

    /// <summary>Ends a silence now; false when there is no such silence in force.</summary>
    public bool ExpireSilence(Guid id)
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            return _silences.RemoveAll(s => s.Id == id && s.IsActive(now)) > 0;
        }
    }

    /// <summary>The silences in force.</summary>
    public IReadOnlyList<Silence> GetSilences()
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            return [.. _silences.Where(s => s.IsActive(now))];
        }
    }

    /// <summary>
    /// State changes and delivery attempts, newest first, filtered by time, rule, severity, state and kind. Read from
    /// the database (every run) plus what this run has not written yet; from memory when the database is unavailable.
    /// </summary>
    public IReadOnlyList<AlertHistoryEntry> GetAlertHistory(
        DateTimeOffset? since = null,
        DateTimeOffset? until = null,
        string? rule = null,
        AlertSeverity? severity = null,
        AlertState? state = null,
        AlertHistoryKind? kind = null,
        int limit = 1000) =>
        History.Query(new AlertHistoryFilter(since, until, rule, severity, state, kind, Math.Max(0, limit)), out _);

    /// <summary>
    /// Analyses the history of the last <paramref name="period"/> (24 hours by default): firings per rule and severity,
    /// mean time to resolve, deliveries per channel, and the rules that fired at least <paramref name="flappingThreshold"/> times.
    /// </summary>
    public AlertAnalysis GetAlertAnalysis(TimeSpan? period = null, int flappingThreshold = 3)
    {
        DateTimeOffset until = _time.GetUtcNow();
        DateTimeOffset since = until - (period ?? TimeSpan.FromDays(1));
        IReadOnlyList<AlertHistoryEntry> entries = History.Query(new AlertHistoryFilter(since, until, null, null, null, null, int.MaxValue), out bool memoryOnly);
        var changes = entries.Where(static e => e.Kind == AlertHistoryKind.StateChange).ToList();
        var rules = changes
            .GroupBy(static e => (e.Rule, e.Severity))
            .Select(g =>
            {
                int fired = g.Count(static e => e.State == AlertState.Firing);
                var resolved = g.Where(static e => e.State == AlertState.Resolved).ToList();
                return new AlertRuleStatistics(
                    g.Key.Rule,
                    g.Key.Severity,
                    fired,
                    resolved.Count,
                    g.Count(static e => e is { State: AlertState.Inactive, PreviousState: AlertState.Pending }),
                    MeanTimeToResolve(resolved),
                    fired >= flappingThreshold);
            })
            .OrderByDescending(static r => r.Fired)
            .ThenBy(static r => r.Rule, StringComparer.Ordinal)
            .ToList();

        return new AlertAnalysis
        {
            Since = since,
            Until = until,
            Rules = rules,
            FiredBySeverity = Enum.GetValues<AlertSeverity>().ToDictionary(
                s => s, s => changes.Count(e => e.Severity == s && e.State == AlertState.Firing)),
            MeanTimeToResolve = MeanTimeToResolve(changes.Where(static e => e.State == AlertState.Resolved)),
            FlappingRules = [.. rules.Where(static r => r.Flapping).Select(static r => r.Rule).Distinct()],
            Channels = entries
                .Where(static e => e is { Kind: AlertHistoryKind.Delivery, Channel: not null })
                .GroupBy(static e => e.Channel!)
                .ToDictionary(
                    static g => g.Key,
                    static g => new AlertChannelStatistics(
                        g.Count(static e => e.Outcome == AlertDeliveryOutcome.Delivered),
                        g.Count(static e => e.Outcome == AlertDeliveryOutcome.Failed),
                        g.Count(static e => e.Outcome == AlertDeliveryOutcome.Dropped))),
            FromMemoryOnly = memoryOnly,
        };
    }

    void IMonitoringService.Start() => Start();

    void IMonitoringService.Stop() => Stop();

    internal void Start()
    {
        lock (_gate)
        {
            if (_running)
            {
                return;
            }

            _running = true;
            if (!Settings.Enabled)
            {
                _evaluators = [];
                return;
            }

            List<SloDefinition> slos = BuildSlos();
            _slos = slos.ToDictionary(static s => s.Name, static s => new SloTracker(s), StringComparer.Ordinal);
            _evaluators = [.. BuildRules(slos).Select(CreateEvaluator)];
            _dispatchers = [.. CreateChannels().Select(c => new AlertDispatcher(c, Settings.QueueCapacity, History))];
            foreach (AlertDispatcher dispatcher in _dispatchers)
            {
                dispatcher.Start();
            }

            TimeSpan interval = Settings.EvaluationInterval ?? TimeSpan.FromSeconds(_options.Monitoring.HealthCheckInterval);
            _timer = _time.CreateTimer(static state => ((AlertEngine)state!).Tick(), this, interval, interval);
        }
    }

    internal void Stop()
    {
        List<AlertDispatcher> dispatchers;
        lock (_gate)
        {
            if (!_running)
            {
                return;
            }

            _running = false;
            _timer?.Dispose();
            _timer = null;
            dispatchers = _dispatchers;
            _dispatchers = [];
        }

        // One deadline for all channels: they drain in parallel, each on its own worker.
        DateTime deadline = DateTime.UtcNow + Settings.StopTimeout;
        foreach (AlertDispatcher dispatcher in dispatchers)
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            dispatcher.Stop(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            dispatcher.Dispose();
        }
    }

    /// <summary>Runs one evaluation now (the timer does this every interval).</summary>
    internal void Evaluate()
    {
        lock (_gate)
        {
            if (!_running)
            {
                return;
            }

            DateTimeOffset now = _time.GetUtcNow();
            var cycle = new AlertEvaluationCycle();
            var transitions = new List<AlertTransition>();
            foreach (SloTracker slo in _slos.Values)
            {
                try
                {
                    slo.Observe(now, cycle);
                }
                catch (Exception ex)
                {
                    MonitoringDiagnostics.InternalError("slo tracking", ex);
                }
            }

            foreach (RuleEvaluator evaluator in _evaluators)
            {
                try
                {
                    evaluator.Evaluate(now, cycle, transitions);
                }
                catch (Exception ex)
                {
                    // A source that throws costs its own rule this evaluation, nothing more.
                    MonitoringDiagnostics.InternalError("alert rule evaluation", ex);
                }
            }

            _silences.RemoveAll(s => s.EndsAt <= now);
            ApplySuppression(now);
            foreach (AlertTransition transition in transitions)
            {
                History.RecordTransition(transition, now);
            }

            Notify(now);
            foreach (RuleEvaluator evaluator in _evaluators)
            {
                evaluator.Forget(now);
            }
        }
    }

    /// <summary>Completes when every notification so far has been delivered (or given up) and the history is written.</summary>
    internal async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        List<AlertDispatcher> dispatchers;
        lock (_gate)
        {
            dispatchers = [.. _dispatchers];
        }

        await Task.WhenAll(dispatchers.Select(static d => d.WhenIdleAsync())).WaitAsync(cancellationToken).ConfigureAwait(false);
        await History.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Tick()
    {
        if (Interlocked.Exchange(ref _evaluating, 1) == 1)
        {
            return;
        }

        try
        {
            Evaluate();
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("alert evaluation", ex);
        }
        finally
        {
            Volatile.Write(ref _evaluating, 0);
        }
    }

    // A silence holds back what it matches; a firing critical alert holds back the warning with the same other labels.
    private void ApplySuppression(DateTimeOffset now)
    {
        var critical = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (RuleEvaluator evaluator in _evaluators.Where(static e => e.Rule.Severity == AlertSeverity.Critical))
        {
            foreach (AlertInstance alert in evaluator.Alerts.Where(static a => a.State == AlertState.Firing))
            {
                critical.TryAdd(InhibitionKey(alert.Labels), alert.Fingerprint);
            }
        }

        foreach (RuleEvaluator evaluator in _evaluators)
        {
            foreach (AlertInstance alert in evaluator.Alerts)
            {
                alert.SuppressedBy = null;
                if (alert.State is not (AlertState.Pending or AlertState.Firing))
                {
                    continue;
                }

                if (_silences.FirstOrDefault(s => s.IsActive(now) && s.Matches(alert.Labels)) is { } silence)
                {
                    alert.SuppressedBy = $"silence {silence.Id}";
                }
                else if (evaluator.Rule.Severity == AlertSeverity.Warning && critical.TryGetValue(InhibitionKey(alert.Labels), out string? by))
                {
                    alert.SuppressedBy = $"inhibited by critical alert {by}";
                }
            }
        }
    }

    private void Notify(DateTimeOffset now)
    {
        Uri? externalUrl = Settings.ExternalUrl;
        foreach (RuleEvaluator evaluator in _evaluators)
        {
            var firing = evaluator.Alerts.Where(static a => a is { State: AlertState.Firing, SuppressedBy: null }).ToList();
            var resolved = evaluator.Alerts.Where(a => a.State == AlertState.Resolved && evaluator.Notified.Contains(a.Fingerprint)).ToList();
            bool changed = resolved.Count > 0 || firing.Exists(a => !evaluator.Notified.Contains(a.Fingerprint));
            bool repeat = firing.Count > 0 && now - evaluator.LastNotifiedAt >= Settings.RepeatInterval;
            if (changed || repeat)
            {
                var notification = new AlertNotification(
                    evaluator.Rule,
                    changed ? AlertNotificationKind.Changed : AlertNotificationKind.Repeat,
                    [.. firing.Concat(resolved).Select(a => a.ToAlert(evaluator.Rule))],
                    now,
                    externalUrl);
                foreach (AlertDispatcher dispatcher in _dispatchers)
                {
                    dispatcher.TryEnqueue(notification);
                }

                evaluator.LastNotifiedAt = now;
                evaluator.LastResentAt = now;
                resolved.ForEach(a => evaluator.Notified.Remove(a.Fingerprint));
                firing.ForEach(a => evaluator.Notified.Add(a.Fingerprint));
                continue;
            }

            if (firing.Count == 0)
            {
                continue;
            }

            var resend = new AlertNotification(evaluator.Rule, AlertNotificationKind.Resend, [.. firing.Select(a => a.ToAlert(evaluator.Rule))], now, externalUrl);
            bool resent = false;
            foreach (AlertDispatcher dispatcher in _dispatchers)
            {
                if (dispatcher.Channel.ResendInterval is { } every && now - evaluator.LastResentAt >= every)
                {
                    dispatcher.TryEnqueue(resend);
                    resent = true;
                }
            }

            if (resent)
            {
                evaluator.LastResentAt = now;
            }
        }
    }

    private RuleEvaluator CreateEvaluator(AlertRule rule) => new(
        rule,
        rule.Kind == AlertRuleKind.BurnRate ? new SloMetricSource(_slos) : Metrics.SourceFor(rule.Metric),
        AlertCondition.For(rule, _slos));

    private List<SloDefinition> BuildSlos()
    {
        var slos = new List<SloDefinition>();
        foreach (SloOptions options in Settings.Slos)
        {
            if (SloValidator.Check(options, static (_, _, _) => { }) is { } slo && !slos.Exists(s => s.Name == slo.Name))
            {
                slos.Add(slo);
            }
        }

        return slos;
    }

    private List<AlertRule> BuildRules(List<SloDefinition> slos)
    {
        var rules = new List<AlertRule>();
        void Put(AlertRule rule)
        {
            rules.RemoveAll(r => r.Name == rule.Name && r.Severity == rule.Severity);
            rules.Add(rule);
        }

        if (Settings.DefaultRules)
        {
            foreach ((string key, double threshold) in _options.Monitoring.HealthThresholds.OrderBy(static p => p.Key, StringComparer.Ordinal))
            {
                bool lowIsBad = key == AlertMetrics.HealthScore;
                var fields = new AlertRuleFields(
                    "health_" + key, key, null, null, lowIsBad ? "<" : ">", threshold, Settings.DefaultFor, TimeSpan.Zero, null, AlertSeverity.Warning,
                    new Dictionary<string, string>(),
                    new Dictionary<string, string>
                    {
                        ["summary"] = $"{key} is {{{{ $value }}}}, {(lowIsBad ? "below" : "above")} its threshold of {{{{ $threshold }}}}",
                    });
                if (AlertRuleValidator.Check(fields, static _ => true, static (_, _, _) => { }) is { } rule)
                {
                    Put(rule);
                }
            }
        }

        foreach (AlertRuleOptions options in Settings.Rules)
        {
            if (AlertRuleValidator.Check(options.ToFields(), IsCustomMetric, static (_, _, _) => { }) is { } rule)
            {
                Put(rule);
            }
        }

        _codeRules.ForEach(Put);
        slos.SelectMany(static s => s.Rules).ToList().ForEach(Put);
        return rules;
    }

    private List<IAlertChannel> CreateChannels()
    {
        AlertChannelSettings channels = Settings.Channels;
        var created = new List<IAlertChannel>();
        void Add(string name, Func<IAlertChannel> create)
        {
            try
            {
                created.Add(create());
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                MonitoringDiagnostics.InternalError("alert channel " + name, ex);
            }
        }

        if (channels.Console.Enabled)
        {
            Add("console", () => ConsoleOutput is { } output
                ? new ConsoleAlertChannel(output, channels.Console.Color == ConsoleColorMode.Always)
                : ConsoleAlertChannel.Create(channels.Console));
        }

        if (channels.File.Enabled)
        {
            Add("file", () => new FileAlertChannel(channels.File.ResolvePath(_options.Monitoring), channels.File.MaxBytes, channels.File.MaxFiles));
        }

        if (channels.Webhook.Url is not null)
        {
            Add("webhook", () => WebhookAlertChannel.Create(channels.Webhook));
        }

        if (!string.IsNullOrWhiteSpace(channels.Email.Host) && !_channelKinds.Any(static k => k.Name == "email"))
        {
            MonitoringDiagnostics.Warn("[maran] alerts.channels.email is configured but the e-mail channel is not installed: add the package Maran.Instrument.Email (or Maran.Instrument.All). Alerts go to the other channels.");
        }

        foreach (AlertChannelKind kind in _channelKinds.Where(k => k.IsConfigured(channels)))
        {
            Add(kind.Name, () => kind.Create(channels, _options));
        }

        if (channels.Alertmanager.Url is not null)
        {
            Add("alertmanager", () => AlertmanagerAlertChannel.Create(channels.Alertmanager));
        }

        created.AddRange(ExtraChannels);
        return created;
    }

    private bool IsCustomMetric(string metric)
    {
        lock (_customGate)
        {
            return Settings.IsCustomMetric(metric, _options.Monitoring);
        }
    }

    private static string InhibitionKey(IReadOnlyDictionary<string, string> labels) =>
        string.Join('\u001f', labels.Where(static p => p.Key != "severity").OrderBy(static p => p.Key, StringComparer.Ordinal).Select(static p => p.Key + "=" + p.Value));

    private static TimeSpan? MeanTimeToResolve(IEnumerable<AlertHistoryEntry> resolved)
    {
        var durations = resolved.Where(static e => e.FiringSince is not null).Select(static e => (e.Time - e.FiringSince!.Value).Ticks).ToList();
        return durations.Count == 0 ? null : TimeSpan.FromTicks((long)durations.Average());
    }

    private static AlertRuleFields ToFields(AlertRule rule) =>
        new(rule.Name, rule.Metric, rule.Operation, rule.Component, rule.Comparison.Symbol(), rule.Kind == AlertRuleKind.Threshold ? rule.Threshold : null,
            rule.For, rule.KeepFiringFor, rule.Window, rule.Severity, rule.Labels, rule.Annotations,
            AlertRuleValidator.KindName(rule.Kind),
            rule.Kind == AlertRuleKind.Anomaly ? rule.MinScore : null,
            rule.Kind == AlertRuleKind.Anomaly ? AlertRuleValidator.DirectionName(rule.Direction) : null,
            rule.Limit,
            rule.Kind == AlertRuleKind.Forecast ? rule.Horizon : null,
            rule.Kind == AlertRuleKind.Forecast ? rule.Lookback : null,
            rule.Kind == AlertRuleKind.Forecast ? AlertRuleValidator.MethodName(rule.Method) : null);
}
