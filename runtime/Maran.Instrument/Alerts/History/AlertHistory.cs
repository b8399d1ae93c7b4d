namespace Maran.Instrument.Alerts;

/// <summary>
/// Every alert state change and delivery attempt: handed to the storage (the <c>alert_history</c> table with
/// Maran.Instrument.Sqlite) and kept in a bounded ring in memory. Queries read the database and add what memory holds
/// that is not written yet; with the database unavailable, they answer from memory.
/// </summary>
internal sealed class AlertHistory
{
    private readonly IAlertHistoryPersistence _store;
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly string _run = Guid.NewGuid().ToString("N");
    private readonly LinkedList<AlertHistoryEntry> _recent = new();
    private readonly object _gate = new();
    private long _sequence;

    public AlertHistory(IAlertHistoryPersistence store, TimeProvider time, int capacity)
    {
        _store = store;
        _time = time;
        _capacity = capacity;
    }

    public void RecordTransition(AlertTransition transition, DateTimeOffset at)
    {
        AlertInstance alert = transition.Alert;
        Record(new AlertHistoryEntry
        {
            Time = at,
            Kind = AlertHistoryKind.StateChange,
            Rule = transition.Rule.Name,
            Severity = transition.Rule.Severity,
            State = transition.To,
            PreviousState = transition.From,
            Fingerprint = alert.Fingerprint,
            Value = double.IsFinite(alert.Value) ? alert.Value : null,
            Labels = alert.Labels,
            FiringSince = transition.To == AlertState.Resolved ? alert.FiredAt : null,
        });
    }

    public void RecordDelivery(AlertNotification notification, string channel, int attempt, AlertDeliveryOutcome outcome, string? detail, double durationMs)
    {
        Record(new AlertHistoryEntry
        {
            Time = _time.GetUtcNow(),
            Kind = AlertHistoryKind.Delivery,
            Rule = notification.Rule.Name,
            Severity = notification.Rule.Severity,
            State = notification.FiringCount > 0 ? AlertState.Firing : AlertState.Resolved,
            Labels = notification.CommonLabels,
            Channel = channel,
            Attempt = attempt,
            Outcome = outcome,
            Detail = detail,
            DurationMs = durationMs,
            AlertCount = notification.Alerts.Count,
        });
    }

    /// <summary>Entries matching every filter, newest first, at most the filter's limit; <paramref name="fromMemoryOnly"/> when the database could not be read.</summary>
    public IReadOnlyList<AlertHistoryEntry> Query(AlertHistoryFilter filter, out bool fromMemoryOnly)
    {
        List<AlertHistoryEntry> memory;
        lock (_gate)
        {
            memory = [.. _recent.Where(filter.Matches)];
        }

        fromMemoryOnly = !_store.TryRead(filter, out List<AlertHistoryEntry>? stored);
        if (fromMemoryOnly || stored is null)
        {
            return [.. memory.OrderByDescending(static e => e.Time).ThenByDescending(static e => e.Key.Sequence).Take(filter.Limit)];
        }

        var keys = new HashSet<(string, long)>(stored.Select(static e => e.Key));
        return [.. stored.Concat(memory.Where(e => !keys.Contains(e.Key)))
            .OrderByDescending(static e => e.Time)
            .ThenByDescending(static e => e.Key.Sequence)
            .Take(filter.Limit)];
    }

    /// <summary>Completes when every entry recorded before the call has been written.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => _store.FlushAsync(cancellationToken);

    private void Record(AlertHistoryEntry entry)
    {
        lock (_gate)
        {
            entry = entry with { Key = (_run, ++_sequence) };
            _recent.AddLast(entry);
            while (_recent.Count > _capacity)
            {
                _recent.RemoveFirst();
            }
        }

        _store.Insert(entry);
    }
}

/// <summary>What a history query asks for; every filter left null matches everything.</summary>
internal sealed record AlertHistoryFilter(
    DateTimeOffset? Since,
    DateTimeOffset? Until,
    string? Rule,
    AlertSeverity? Severity,
    AlertState? State,
    AlertHistoryKind? Kind,
    int Limit)
{
    public bool Matches(AlertHistoryEntry entry) =>
        (Since is null || entry.Time >= Since) && (Until is null || entry.Time <= Until)
        && (Rule is null || entry.Rule == Rule) && (Severity is null || entry.Severity == Severity)
        && (State is null || entry.State == State) && (Kind is null || entry.Kind == Kind);
}
