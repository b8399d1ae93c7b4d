using System.Text.Json;
using Maran.Instrument.Errors;
using Microsoft.Data.Sqlite;

namespace Maran.Instrument;

/// <summary>
/// The error tracker's tables in the shared database: every error as it happened, the groups, and hourly counts of
/// errors and calls from which analytics are rebuilt after a restart. Group and hourly rows are written with their
/// absolute values, so a repeated write is harmless.
/// </summary>
internal sealed class ErrorStore : IErrorPersistence
{
    private readonly MaranDatabase _database;

    public ErrorStore(MaranDatabase database)
    {
        _database = database;
        Register();
    }

    internal static readonly StorageMigration[] Schema =
    [
        new(1, """
            CREATE TABLE errors (
                id INTEGER PRIMARY KEY,
                at INTEGER NOT NULL,
                fingerprint TEXT NOT NULL,
                type TEXT NOT NULL,
                message TEXT NOT NULL,
                severity TEXT NOT NULL,
                category TEXT NOT NULL,
                component TEXT NOT NULL,
                operation TEXT,
                trace_id TEXT,
                span_id TEXT,
                stack_trace TEXT,
                inner_exceptions TEXT,
                context TEXT,
                duration_ms REAL);
            CREATE INDEX errors_at ON errors (at);
            CREATE INDEX errors_fingerprint ON errors (fingerprint, at);
            CREATE TABLE error_groups (
                fingerprint TEXT PRIMARY KEY,
                type TEXT NOT NULL,
                title TEXT NOT NULL,
                category TEXT NOT NULL,
                component TEXT NOT NULL,
                operation TEXT,
                first_seen INTEGER NOT NULL,
                last_seen INTEGER NOT NULL,
                count INTEGER NOT NULL,
                resolved_at INTEGER,
                last_message TEXT NOT NULL);
            CREATE TABLE error_hourly (
                hour INTEGER NOT NULL,
                fingerprint TEXT NOT NULL,
                type TEXT NOT NULL,
                category TEXT NOT NULL,
                component TEXT NOT NULL,
                operation TEXT NOT NULL,
                severity TEXT NOT NULL,
                count INTEGER NOT NULL,
                PRIMARY KEY (hour, fingerprint, category, component, operation, severity));
            CREATE TABLE operation_calls (
                hour INTEGER NOT NULL,
                component TEXT NOT NULL,
                operation TEXT NOT NULL,
                calls INTEGER NOT NULL,
                PRIMARY KEY (hour, component, operation));
            """),
    ];

    private void Register()
    {
        _database.RegisterSchema("errors", Schema);
        _database.RegisterRetention("errors", "at");
        _database.RegisterRetention("error_groups", "last_seen");
        _database.RegisterRetention("error_hourly", "hour");
        _database.RegisterRetention("operation_calls", "hour");
    }

    public void Insert(TrackedError error) => _database.TryWrite(new InsertError(error));

    public void Save(ErrorGroupState group) => _database.TryWrite(new SaveGroup(group.Copy()));

    public void Save(HourlyErrorKey key, long count) => _database.TryWrite(new SaveHourly(key, count));

    public void Save(HourlyCallKey key, long calls) => _database.TryWrite(new SaveCalls(key, calls));

    public Task FlushAsync(CancellationToken cancellationToken) => _database.FlushAsync(cancellationToken);

    /// <summary>Whether the database is on and its last write succeeded; a faulted one is not waited for.</summary>
    public bool IsAvailable => _database.GetStatus().Available;

    /// <summary>Reads back groups and hourly counts since <paramref name="since"/> (Unix ms); false when there is no readable database.</summary>
    public bool TryLoad(long since, out StoredErrors stored) => _database.TryQuery(connection =>
    {
        var result = new StoredErrors();
        if (!HasTables(connection))
        {
            return result;
        }

        using (SqliteCommand command = Command(connection, "SELECT fingerprint, type, title, category, component, operation, first_seen, last_seen, count, resolved_at, last_message FROM error_groups"))
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                result.Groups.Add(new ErrorGroupState
                {
                    Fingerprint = reader.GetString(0),
                    Type = reader.GetString(1),
                    Title = reader.GetString(2),
                    Category = EnumNames.Parse(reader.GetString(3), ErrorCategory.Unknown),
                    Component = reader.GetString(4),
                    Operation = reader.IsDBNull(5) ? null : reader.GetString(5),
                    FirstSeen = reader.GetInt64(6),
                    LastSeen = reader.GetInt64(7),
                    Count = reader.GetInt64(8),
                    ResolvedAt = reader.IsDBNull(9) ? null : reader.GetInt64(9),
                    LastMessage = reader.GetString(10),
                });
            }
        }

        using (SqliteCommand command = Command(connection, "SELECT hour, fingerprint, type, category, component, operation, severity, count FROM error_hourly WHERE hour >= $since", ("$since", since)))
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var key = new HourlyErrorKey(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    EnumNames.Parse(reader.GetString(3), ErrorCategory.Unknown),
                    reader.GetString(4),
                    reader.GetString(5),
                    EnumNames.Parse(reader.GetString(6), ErrorSeverity.Error));
                result.Hourly[key] = reader.GetInt64(7);
            }
        }

        using (SqliteCommand command = Command(connection, "SELECT hour, component, operation, calls FROM operation_calls WHERE hour >= $since", ("$since", since)))
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                result.Calls[new HourlyCallKey(reader.GetInt64(0), reader.GetString(1), reader.GetString(2))] = reader.GetInt64(3);
            }
        }

        return result;
    }, out stored);

    /// <summary>The latest stored errors, newest first, optionally of one group; false when there is no readable database.</summary>
    public bool TryReadRecent(int limit, string? fingerprint, out List<TrackedError> errors) => _database.TryQuery(connection =>
    {
        var result = new List<TrackedError>();
        if (!HasTables(connection))
        {
            return result;
        }

        using SqliteCommand command = Command(
            connection,
            "SELECT at, fingerprint, type, message, severity, category, component, operation, trace_id, span_id, stack_trace, inner_exceptions, context, duration_ms " +
            "FROM errors WHERE $fingerprint IS NULL OR fingerprint = $fingerprint ORDER BY at DESC, id DESC LIMIT $limit",
            ("$fingerprint", (object?)fingerprint ?? DBNull.Value),
            ("$limit", limit));
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(new TrackedError
            {
                Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)),
                Fingerprint = reader.GetString(1),
                Type = reader.GetString(2),
                Message = reader.GetString(3),
                Severity = EnumNames.Parse(reader.GetString(4), ErrorSeverity.Error),
                Category = EnumNames.Parse(reader.GetString(5), ErrorCategory.Unknown),
                Component = reader.GetString(6),
                Operation = Text(reader, 7),
                TraceId = Text(reader, 8),
                SpanId = Text(reader, 9),
                StackTrace = Text(reader, 10),
                InnerExceptions = ReadInner(Text(reader, 11)),
                Context = ReadContext(Text(reader, 12)),
                DurationMs = reader.IsDBNull(13) ? null : reader.GetDouble(13),
            });
        }

        return result;
    }, out errors);

    private static bool HasTables(SqliteConnection connection)
    {
        using SqliteCommand command = Command(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('errors', 'error_groups', 'error_hourly', 'operation_calls')");
        return command.ExecuteScalar() is long count && count == 4;
    }

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        foreach ((string name, object? value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        SqliteCommand command = Command(connection, sql, parameters);
        command.Transaction = transaction;
        return command;
    }

    private static string? WriteInner(IReadOnlyList<InnerError> inner)
    {
        if (inner.Count == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (InnerError error in inner)
            {
                json.WriteStartObject();
                json.WriteString("type", error.Type);
                json.WriteString("message", error.Message);
                json.WriteString("stack_trace", error.StackTrace);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static List<InnerError> ReadInner(string? text)
    {
        var inner = new List<InnerError>();
        if (text is null)
        {
            return inner;
        }

        using JsonDocument document = JsonDocument.Parse(text);
        foreach (JsonElement item in document.RootElement.EnumerateArray())
        {
            inner.Add(new InnerError(
                item.GetProperty("type").GetString() ?? string.Empty,
                item.GetProperty("message").GetString() ?? string.Empty,
                item.GetProperty("stack_trace").GetString()));
        }

        return inner;
    }

    private static string? WriteContext(IReadOnlyDictionary<string, string>? context)
    {
        if (context is null || context.Count == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach ((string key, string value) in context.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static Dictionary<string, string>? ReadContext(string? text)
    {
        if (text is null)
        {
            return null;
        }

        using JsonDocument document = JsonDocument.Parse(text);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
    }

    private sealed record InsertError(TrackedError Error) : IStorageWrite
    {
        public void Execute(SqliteConnection connection, SqliteTransaction transaction)
        {
            TrackedError e = Error;
            using SqliteCommand command = Command(
                connection,
                transaction,
                "INSERT INTO errors (at, fingerprint, type, message, severity, category, component, operation, trace_id, span_id, stack_trace, inner_exceptions, context, duration_ms) " +
                "VALUES ($at, $fingerprint, $type, $message, $severity, $category, $component, $operation, $trace, $span, $stack, $inner, $context, $duration)",
                ("$at", e.Timestamp.ToUnixTimeMilliseconds()),
                ("$fingerprint", e.Fingerprint),
                ("$type", e.Type),
                ("$message", e.Message),
                ("$severity", EnumNames.Of(e.Severity)),
                ("$category", EnumNames.Of(e.Category)),
                ("$component", e.Component),
                ("$operation", e.Operation),
                ("$trace", e.TraceId),
                ("$span", e.SpanId),
                ("$stack", e.StackTrace),
                ("$inner", WriteInner(e.InnerExceptions)),
                ("$context", WriteContext(e.Context)),
                ("$duration", e.DurationMs));
            command.ExecuteNonQuery();
        }
    }

    private sealed record SaveGroup(ErrorGroupState Group) : IStorageWrite
    {
        public void Execute(SqliteConnection connection, SqliteTransaction transaction)
        {
            ErrorGroupState g = Group;
            using SqliteCommand command = Command(
                connection,
                transaction,
                "INSERT INTO error_groups (fingerprint, type, title, category, component, operation, first_seen, last_seen, count, resolved_at, last_message) " +
                "VALUES ($fingerprint, $type, $title, $category, $component, $operation, $first, $last, $count, $resolved, $message) " +
                "ON CONFLICT (fingerprint) DO UPDATE SET first_seen = excluded.first_seen, last_seen = excluded.last_seen, count = excluded.count, " +
                "resolved_at = excluded.resolved_at, last_message = excluded.last_message",
                ("$fingerprint", g.Fingerprint),
                ("$type", g.Type),
                ("$title", g.Title),
                ("$category", EnumNames.Of(g.Category)),
                ("$component", g.Component),
                ("$operation", g.Operation),
                ("$first", g.FirstSeen),
                ("$last", g.LastSeen),
                ("$count", g.Count),
                ("$resolved", g.ResolvedAt),
                ("$message", g.LastMessage));
            command.ExecuteNonQuery();
        }
    }

    private sealed record SaveHourly(HourlyErrorKey Key, long Count) : IStorageWrite
    {
        public void Execute(SqliteConnection connection, SqliteTransaction transaction)
        {
            using SqliteCommand command = Command(
                connection,
                transaction,
                "INSERT INTO error_hourly (hour, fingerprint, type, category, component, operation, severity, count) " +
                "VALUES ($hour, $fingerprint, $type, $category, $component, $operation, $severity, $count) " +
                "ON CONFLICT (hour, fingerprint, category, component, operation, severity) DO UPDATE SET count = excluded.count",
                ("$hour", Key.Hour),
                ("$fingerprint", Key.Fingerprint),
                ("$type", Key.Type),
                ("$category", EnumNames.Of(Key.Category)),
                ("$component", Key.Component),
                ("$operation", Key.Operation),
                ("$severity", EnumNames.Of(Key.Severity)),
                ("$count", Count));
            command.ExecuteNonQuery();
        }
    }

    private sealed record SaveCalls(HourlyCallKey Key, long Calls) : IStorageWrite
    {
        public void Execute(SqliteConnection connection, SqliteTransaction transaction)
        {
            using SqliteCommand command = Command(
                connection,
                transaction,
                "INSERT INTO operation_calls (hour, component, operation, calls) VALUES ($hour, $component, $operation, $calls) " +
                "ON CONFLICT (hour, component, operation) DO UPDATE SET calls = excluded.calls",
                ("$hour", Key.Hour),
                ("$component", Key.Component),
                ("$operation", Key.Operation),
                ("$calls", Calls));
            command.ExecuteNonQuery();
        }
    }
}
