using System.Text;
using Maran.Instrument.Configuration;
using Maran.Instrument.Logging;
using Microsoft.Data.Sqlite;

namespace Maran.Instrument;

/// <summary>
/// The log events in the monitoring database: a <c>logs</c> table with a full-text (FTS5) index, searchable by level,
/// component, operation, trace id, time range and words, deleted after <c>storage.retention_days</c>.
/// </summary>
internal sealed class LogTable : ILogPersistence
{
    internal const string Table = "logs";

    private readonly MaranDatabase _database;

    public LogTable(MaranDatabase database)
    {
        _database = database;
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

    public void Insert(LogEntry entry) => _database.TryWrite(new LogWrite(entry));

    public bool TrySearch(LogQuery query, out List<LogEntry> entries) =>
        _database.TryQuery(connection => SearchDatabase(connection, query), out entries);

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
        sql.Append(" ORDER BY timestamp DESC, id DESC LIMIT $limit OFFSET $offset");
        command.Parameters.AddWithValue("$limit", Math.Max(0, query.Limit));
        command.Parameters.AddWithValue("$offset", Math.Max(0, query.Offset));
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
