using Maran.Instrument.Configuration;
using Maran.Instrument.Security;

namespace Maran.Instrument.Logging;

/// <summary>
/// The log events the dashboard's Logs section reads: the most recent ones in memory
/// (<c>logging.recent_events</c>), and every one in the storage when there is one (with Maran.Instrument.Sqlite a
/// full-text table searchable by level, component, operation, trace id, time range and words, deleted after
/// <c>storage.retention_days</c> like the other tables). With <c>production.security.encrypt_logs</c> the message,
/// exception and properties reach the storage encrypted; the time, level, trace, operation, component and source stay
/// searchable there, and words are matched on the decrypted text of the most recent <see cref="EncryptedScanLimit"/>
/// events that pass the other filters.
/// </summary>
public sealed class LogStore
{
    /// <summary>Stored events at most that a word search decrypts when the store is encrypted.</summary>
    internal const int EncryptedScanLimit = 10_000;

    private readonly object _gate = new();
    private readonly Queue<LogEntry> _recent = new();
    private readonly ILogPersistence _store;
    private readonly Func<LoggingSettings> _settings;
    private readonly Func<LogCipher?> _cipher;

    internal LogStore(ILogPersistence store, Func<LoggingSettings> settings, Func<LogCipher?>? cipher = null)
    {
        _store = store;
        _settings = settings;
        _cipher = cipher ?? (static () => null);
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
        if (!_settings().Store)
        {
            return SearchMemory(query);
        }

        if (_cipher() is not { } cipher)
        {
            return _store.TrySearch(query, out List<LogEntry> found) ? found : SearchMemory(query);
        }

        // The stored text is ciphertext: the indexed columns filter, the words are matched after decryption.
        LogQuery scan = query.Text is null ? query : query with { Text = null, Offset = 0, Limit = EncryptedScanLimit };
        if (!_store.TrySearch(scan, out List<LogEntry> stored))
        {
            return SearchMemory(query);
        }

        IEnumerable<LogEntry> opened = stored.Select(e => Open(cipher, e));
        string[] words = Words(query.Text);
        return query.Text is null
            ? [.. opened]
            : [.. opened.Where(e => HasWords(e, words)).Skip(Math.Max(0, query.Offset)).Take(Math.Max(0, query.Limit))];
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
            _store.Insert(_cipher() is { } cipher ? Seal(cipher, entry) : entry);
        }
    }

    private static LogEntry Seal(LogCipher cipher, LogEntry entry) => entry with
    {
        Message = cipher.Encrypt(entry.Message),
        Exception = entry.Exception is null ? null : cipher.Encrypt(entry.Exception),
        Properties = cipher.Encrypt(entry.Properties),
    };

    private static LogEntry Open(LogCipher cipher, LogEntry entry) => entry with
    {
        Message = cipher.Open(entry.Message),
        Exception = entry.Exception is null ? null : cipher.Open(entry.Exception),
        Properties = cipher.Open(entry.Properties),
    };

    private static string[] Words(string? text) => text?.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries) ?? [];

    private static bool HasWords(LogEntry e, string[] words) =>
        words.All(w => (e.Message + " " + e.Exception + " " + e.Properties).Contains(w.TrimEnd('*'), StringComparison.OrdinalIgnoreCase));

    private List<LogEntry> SearchMemory(LogQuery query)
    {
        string[] words = Words(query.Text);
        bool Matches(LogEntry e) =>
            (query.MinimumLevel is not { } level || e.Level >= level)
            && (query.Component is null || e.Component == query.Component)
            && (query.Operation is null || e.Operation == query.Operation)
            && (query.TraceId is null || string.Equals(e.TraceId, query.TraceId, StringComparison.OrdinalIgnoreCase))
            && (query.From is not { } from || e.Timestamp >= from)
            && (query.To is not { } to || e.Timestamp <= to)
            && HasWords(e, words);

        lock (_gate)
        {
            return [.. _recent.Reverse().Where(Matches).Skip(Math.Max(0, query.Offset)).Take(Math.Max(0, query.Limit))];
        }
    }
}
