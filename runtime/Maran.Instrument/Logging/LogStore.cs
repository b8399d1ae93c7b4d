namespace Maran.Instrument;

/// <summary>
/// The log events the dashboard's Logs section reads: the most recent ones in memory
/// (<c>logging.recent_events</c>), and every one in the storage when there is one (with Maran.Instrument.Sqlite a
/// full-text table searchable by level, component, operation, trace id, time range and words, deleted after
/// <c>storage.retention_days</c> like the other tables).
/// </summary>
public sealed class LogStore
{
    private readonly object _gate = new();
    private readonly Queue<LogEntry> _recent = new();
    private readonly ILogPersistence _store;
    private readonly Func<LoggingSettings> _settings;

    internal LogStore(ILogPersistence store, Func<LoggingSettings> settings)
    {
        _store = store;
        _settings = settings;
    }

    /// <summary>The most recent events, newest first (at most <c>logging.recent_events</c> are kept).</summary>
    public IReadOnlyList<LogEntry> Recent(int count = 100)
    {
        lock (_gate)
        {
            return [.. _recent.Reverse().Take(Math.Max(0, count))];
        }
    }

    /// <summary>
    /// The events matching <paramref name="query"/>, newest first: from the storage, or from the recent events in
    /// memory while there is none or it is off or unreadable. Events reach the storage within a moment of being logged.
    /// </summary>
    public IReadOnlyList<LogEntry> Search(LogQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (_settings().Store && _store.TrySearch(query, out List<LogEntry> found))
        {
            return found;
        }

        return SearchMemory(query);
    }

    /// <summary>Keeps an event: in memory, and queued for the storage when <c>logging.store</c> is on.</summary>
    internal void Add(LogEntry entry)
    {
        LoggingSettings settings = _settings();
        lock (_gate)
        {
            _recent.Enqueue(entry);
            while (_recent.Count > settings.RecentEvents)
            {
                _recent.Dequeue();
            }
        }

        if (settings.Store)
        {
            _store.Insert(entry);
        }
    }

    private List<LogEntry> SearchMemory(LogQuery query)
    {
        string[] words = query.Text?.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries) ?? [];
        bool Matches(LogEntry e) =>
            (query.MinimumLevel is not { } level || e.Level >= level)
            && (query.Component is null || e.Component == query.Component)
            && (query.Operation is null || e.Operation == query.Operation)
            && (query.TraceId is null || string.Equals(e.TraceId, query.TraceId, StringComparison.OrdinalIgnoreCase))
            && (query.From is not { } from || e.Timestamp >= from)
            && (query.To is not { } to || e.Timestamp <= to)
            && words.All(w => (e.Message + " " + e.Exception + " " + e.Properties).Contains(w.TrimEnd('*'), StringComparison.OrdinalIgnoreCase));

        lock (_gate)
        {
            return [.. _recent.Reverse().Where(Matches).Skip(Math.Max(0, query.Offset)).Take(Math.Max(0, query.Limit))];
        }
    }
}
