using System.Text;
using Microsoft.Data.Sqlite;

namespace Maran.Instrument;

/// <summary>
/// The log events the dashboard's Logs section reads: the most recent ones in memory
/// (<c>logging.recent_events</c>) and every one in a full-text (SQLite FTS5) table of the monitoring database,
/// searchable by level, component, operation, trace id, time range and words, and deleted after
/// <c>storage.retention_days</c> like the other tables.
/// </summary>
public sealed class LogStore
{
    internal const string Table = "logs";

    private readonly object _gate = new();
    private readonly Queue<LogEntry> _recent = new();
    private readonly MaranDatabase _database;
    private readonly Func<LoggingSettings> _settings;

    internal LogStore(MaranDatabase database, Func<LoggingSettings> settings)
    {
        _database = database;
        _settings = settings;
        database.RegisterSchema(Table, new StorageMigration(1, """
            CREATE TABLE logs (
                id INTEGER PRIMARY KEY,
                timestamp INTEGER NOT NULL,
                level INTEGER NOT NULL,
                message TEXT NOT NULL,
                exception TEXT,
                trace_id TEXT,
                span_id TEXT,
                operation TEXT,
                component TEXT,
                source TEXT,
                properties TEXT NOT NULL
            );
            CREATE INDEX logs_timestamp ON logs (timestamp);
            CREATE INDEX logs_trace_id ON logs (trace_id);
            CREATE INDEX logs_component_operation ON logs (component, operation);
            CREATE VIRTUAL TABLE logs_fts USING fts5 (message, exception, properties, content = 'logs', content_rowid = 'id');
            CREATE TRIGGER logs_fts_insert AFTER INSERT ON logs BEGIN
                INSERT INTO logs_fts (rowid, message, exception, properties) VALUES (new.id, new.message, new.exception, new.properties);
            END;
            CREATE TRIGGER logs_fts_delete AFTER DELETE ON logs BEGIN
                INSERT INTO logs_fts (logs_fts, rowid, message, exception, properties) VALUES ('delete', old.id, old.message, old.exception, old.properties);
            END;
            """));
        database.RegisterRetention(Table, "timestamp");
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
    /// The events matching <paramref name="query"/>, newest first: from the database, or from the recent events in
    /// memory while the database is off or unreadable. Events reach the database within a moment of being logged.
    /// </summary>
    public IReadOnlyList<LogEntry> Search(LogQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (_settings().Store && _database.TryQuery(connection => SearchDatabase(connection, query), out List<LogEntry> found))
        {
            return found;
        }

        return SearchMemory(query);
    }

    /// <summary>Keeps an event: in memory, and queued for the database when <c>logging.store</c> is on.</summary>
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
            _database.TryWrite(new LogWrite(entry));
        }
    }

    /// <summary>An FTS5 query that matches events holding every word of <paramref name="text"/>; operators in the text are taken literally.</summary>
    internal static string? MatchExpression(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var expression = new StringBuilder();
        foreach (string word in text.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            bool prefix = word.Length > 1 && word.EndsWith('*');
            string term = prefix ? word[..^1] : word;
            expression.Append(expression.Length > 0 ? " " : string.Empty)
                .Append('"').Append(term.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"')
                .Append(prefix ? "*" : string.Empty);
        }

        return expression.ToString();
    }

    private static List<LogEntry> SearchDatabase(SqliteConnection connection, LogQuery query)
    {
        using SqliteCommand command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT timestamp, level, message, exception, trace_id, span_id, operation, component, source, properties FROM logs WHERE 1 = 1");
        void Filter(string clause, string name, object? value)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(clause);
                command.Parameters.AddWithValue(name, value);
            }
        }

        Filter("level >= $level", "$level", query.MinimumLevel is { } level ? (int)level : null);
        Filter("component = $component", "$component", query.Component);
        Filter("operation = $operation", "$operation", query.Operation);
        Filter("trace_id = $trace", "$trace", query.TraceId?.ToLowerInvariant());
        Filter("timestamp >= $from", "$from", query.From?.ToUnixTimeMilliseconds());
        Filter("timestamp <= $to", "$to", query.To?.ToUnixTimeMilliseconds());
        Filter("id IN (SELECT rowid FROM logs_fts WHERE logs_fts MATCH $text)", "$text", MatchExpression(query.Text));
        sql.Append(" ORDER BY timestamp DESC, id DESC LIMIT $limit");
        command.Parameters.AddWithValue("$limit", Math.Max(0, query.Limit));
        command.CommandText = sql.ToString();

        var entries = new List<LogEntry>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            entries.Add(new LogEntry(
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)),
                (MonitoringLogLevel)reader.GetInt32(1),
                reader.GetString(2),
                Nullable(reader, 3),
                Nullable(reader, 4),
                Nullable(reader, 5),
                Nullable(reader, 6),
                Nullable(reader, 7),
                Nullable(reader, 8),
                reader.GetString(9)));
        }

        return entries;
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
            return [.. _recent.Reverse().Where(Matches).Take(Math.Max(0, query.Limit))];
        }
    }

    private static string? Nullable(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private sealed record LogWrite(LogEntry Entry) : IStorageWrite
    {
        public void Execute(SqliteConnection connection, SqliteTransaction transaction)
        {
            using SqliteCommand command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO logs (timestamp, level, message, exception, trace_id, span_id, operation, component, source, properties)
                VALUES ($timestamp, $level, $message, $exception, $trace, $span, $operation, $component, $source, $properties)
                """;
            command.Parameters.AddWithValue("$timestamp", Entry.Timestamp.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$level", (int)Entry.Level);
            command.Parameters.AddWithValue("$message", Entry.Message);
            command.Parameters.AddWithValue("$exception", (object?)Entry.Exception ?? DBNull.Value);
            command.Parameters.AddWithValue("$trace", (object?)Entry.TraceId ?? DBNull.Value);
            command.Parameters.AddWithValue("$span", (object?)Entry.SpanId ?? DBNull.Value);
            command.Parameters.AddWithValue("$operation", (object?)Entry.Operation ?? DBNull.Value);
            command.Parameters.AddWithValue("$component", (object?)Entry.Component ?? DBNull.Value);
            command.Parameters.AddWithValue("$source", (object?)Entry.Source ?? DBNull.Value);
            command.Parameters.AddWithValue("$properties", Entry.Properties);
            command.ExecuteNonQuery();
        }
    }
}
