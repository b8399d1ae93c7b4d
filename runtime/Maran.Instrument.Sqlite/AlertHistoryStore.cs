using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Maran.Instrument.Alerts;
using Microsoft.Data.Sqlite;

namespace Maran.Instrument;

/// <summary>The <c>alert_history</c> table of the monitoring database, written in the background.</summary>
internal sealed class AlertHistoryStore : IAlertHistoryPersistence
{
    internal const string Table = "alert_history";

    private readonly MaranDatabase _database;

    public AlertHistoryStore(MaranDatabase database)
    {
        _database = database;
        database.RegisterSchema("alerts", new StorageMigration(1, $"""
            CREATE TABLE {Table} (
                id INTEGER PRIMARY KEY,
                run TEXT NOT NULL,
                seq INTEGER NOT NULL,
                at INTEGER NOT NULL,
                kind TEXT NOT NULL,
                rule TEXT NOT NULL,
                severity TEXT NOT NULL,
                state TEXT NOT NULL,
                previous_state TEXT,
                fingerprint TEXT,
                value REAL,
                labels TEXT NOT NULL,
                firing_since INTEGER,
                channel TEXT,
                attempt INTEGER,
                outcome TEXT,
                detail TEXT,
                duration_ms REAL,
                alerts INTEGER,
                UNIQUE (run, seq));
            CREATE INDEX {Table}_at ON {Table} (at);
            CREATE INDEX {Table}_rule ON {Table} (rule, at);
            """));
        database.RegisterRetention(Table, "at");
    }

    public void Insert(AlertHistoryEntry entry) => _database.TryWrite(new InsertEntry(entry));

    public Task FlushAsync(CancellationToken cancellationToken) => _database.FlushAsync(cancellationToken);

    public bool TryRead(AlertHistoryFilter filter, out List<AlertHistoryEntry> entries) =>
        _database.TryQuery(connection => Read(connection, filter), out entries);

    private static List<AlertHistoryEntry> Read(SqliteConnection connection, AlertHistoryFilter filter)
    {
        bool exists;
        using (SqliteCommand check = connection.CreateCommand())
        {
            check.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $t";
            check.Parameters.AddWithValue("$t", Table);
            exists = check.ExecuteScalar() is long n && n > 0;
        }

        var entries = new List<AlertHistoryEntry>();
        if (!exists)
        {
            return entries;
        }

        using SqliteCommand command = connection.CreateCommand();
        var sql = new StringBuilder($"SELECT run, seq, at, kind, rule, severity, state, previous_state, fingerprint, value, labels, firing_since, channel, attempt, outcome, detail, duration_ms, alerts FROM {Table} WHERE 1 = 1");
        if (filter.Since is { } since)
        {
            sql.Append(" AND at >= $since");
            command.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        }

        if (filter.Until is { } until)
        {
            sql.Append(" AND at <= $until");
            command.Parameters.AddWithValue("$until", until.ToUnixTimeMilliseconds());
        }

        if (filter.Rule is { } rule)
        {
            sql.Append(" AND rule = $rule");
            command.Parameters.AddWithValue("$rule", rule);
        }

        if (filter.Severity is { } severity)
        {
            sql.Append(" AND severity = $severity");
            command.Parameters.AddWithValue("$severity", Name(severity));
        }

        if (filter.State is { } state)
        {
            sql.Append(" AND state = $state");
            command.Parameters.AddWithValue("$state", Name(state));
        }

        if (filter.Kind is { } kind)
        {
            sql.Append(" AND kind = $kind");
            command.Parameters.AddWithValue("$kind", Name(kind));
        }

        sql.Append(" ORDER BY at DESC, id DESC LIMIT $limit");
        command.Parameters.AddWithValue("$limit", filter.Limit);
        command.CommandText = sql.ToString();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            entries.Add(new AlertHistoryEntry
            {
                Key = (reader.GetString(0), reader.GetInt64(1)),
                Time = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                Kind = Parse<AlertHistoryKind>(reader.GetString(3)),
                Rule = reader.GetString(4),
                Severity = Parse<AlertSeverity>(reader.GetString(5)),
                State = Parse<AlertState>(reader.GetString(6)),
                PreviousState = reader.IsDBNull(7) ? null : Parse<AlertState>(reader.GetString(7)),
                Fingerprint = reader.IsDBNull(8) ? null : reader.GetString(8),
                Value = reader.IsDBNull(9) ? null : reader.GetDouble(9),
                Labels = JsonSerializer.Deserialize(reader.GetString(10), AlertHistoryJson.Default.DictionaryStringString) ?? [],
                FiringSince = reader.IsDBNull(11) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(11)),
                Channel = reader.IsDBNull(12) ? null : reader.GetString(12),
                Attempt = reader.IsDBNull(13) ? null : reader.GetInt32(13),
                Outcome = reader.IsDBNull(14) ? null : Parse<AlertDeliveryOutcome>(reader.GetString(14)),
                Detail = reader.IsDBNull(15) ? null : reader.GetString(15),
                DurationMs = reader.IsDBNull(16) ? null : reader.GetDouble(16),
                AlertCount = reader.IsDBNull(17) ? null : reader.GetInt32(17),
            });
        }

        return entries;
    }

    private static string Name<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static T Parse<T>(string text)
        where T : struct, Enum => Enum.Parse<T>(text, ignoreCase: true);

    /// <summary>Inserts one entry; the run and sequence make a repeated insert (after a failed batch) harmless.</summary>
    private sealed class InsertEntry(AlertHistoryEntry entry) : IStorageWrite
    {
        public void Execute(SqliteConnection connection, SqliteTransaction transaction)
        {
            using SqliteCommand command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"""
                INSERT OR IGNORE INTO {Table} (run, seq, at, kind, rule, severity, state, previous_state, fingerprint, value, labels,
                    firing_since, channel, attempt, outcome, detail, duration_ms, alerts)
                VALUES ($run, $seq, $at, $kind, $rule, $severity, $state, $previous, $fingerprint, $value, $labels,
                    $since, $channel, $attempt, $outcome, $detail, $duration, $alerts)
                """;
            command.Parameters.AddWithValue("$run", entry.Key.Run);
            command.Parameters.AddWithValue("$seq", entry.Key.Sequence);
            command.Parameters.AddWithValue("$at", entry.Time.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$kind", Name(entry.Kind));
            command.Parameters.AddWithValue("$rule", entry.Rule);
            command.Parameters.AddWithValue("$severity", Name(entry.Severity));
            command.Parameters.AddWithValue("$state", Name(entry.State));
            command.Parameters.AddWithValue("$previous", entry.PreviousState is { } previous ? Name(previous) : DBNull.Value);
            command.Parameters.AddWithValue("$fingerprint", (object?)entry.Fingerprint ?? DBNull.Value);
            command.Parameters.AddWithValue("$value", (object?)entry.Value ?? DBNull.Value);
            command.Parameters.AddWithValue("$labels", JsonSerializer.Serialize(entry.Labels.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), AlertHistoryJson.Default.DictionaryStringString));
            command.Parameters.AddWithValue("$since", entry.FiringSince is { } since ? since.ToUnixTimeMilliseconds() : DBNull.Value);
            command.Parameters.AddWithValue("$channel", (object?)entry.Channel ?? DBNull.Value);
            command.Parameters.AddWithValue("$attempt", (object?)entry.Attempt ?? DBNull.Value);
            command.Parameters.AddWithValue("$outcome", entry.Outcome is { } outcome ? Name(outcome) : DBNull.Value);
            command.Parameters.AddWithValue("$detail", (object?)entry.Detail ?? DBNull.Value);
            command.Parameters.AddWithValue("$duration", (object?)entry.DurationMs ?? DBNull.Value);
            command.Parameters.AddWithValue("$alerts", (object?)entry.AlertCount ?? DBNull.Value);
            command.ExecuteNonQuery();
        }
    }
}

/// <summary>The JSON of an entry's labels, written at compile time so it needs no reflection (trimming and NativeAOT).</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class AlertHistoryJson : JsonSerializerContext;
