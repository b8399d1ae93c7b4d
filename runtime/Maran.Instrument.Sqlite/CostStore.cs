using System.Globalization;
using Maran.Instrument.Costs;
using Maran.Instrument.Errors;
using Maran.Instrument.Telemetry;
using Microsoft.Data.Sqlite;

namespace Maran.Instrument;

/// <summary>
/// The cost tracker's tables in the shared database: every priced record as it happened, hourly totals from which
/// the summaries are rebuilt after a restart, and the budgets' spending and fired thresholds. Amounts are stored as
/// decimal text so that no sum ever goes through a float; hourly and budget rows carry absolute values, so a
/// repeated write is harmless.
/// </summary>
internal sealed class CostStore : ICostPersistence
{
    private readonly MaranDatabase _database;

    public CostStore(MaranDatabase database)
    {
        _database = database;
        Register();
    }

    internal static readonly StorageMigration[] Schema =
    [
        new(1, """
            CREATE TABLE cost_events (
                id INTEGER PRIMARY KEY,
                at INTEGER NOT NULL,
                resource_type TEXT NOT NULL,
                subject TEXT NOT NULL,
                component TEXT NOT NULL,
                operation TEXT NOT NULL,
                input_tokens INTEGER NOT NULL,
                output_tokens INTEGER NOT NULL,
                cached_input_tokens INTEGER NOT NULL,
                cache_write_tokens INTEGER NOT NULL,
                reasoning_tokens INTEGER NOT NULL,
                quantity REAL NOT NULL,
                cost_usd TEXT,
                estimated INTEGER NOT NULL);
            CREATE INDEX cost_events_at ON cost_events (at);
            CREATE TABLE cost_hourly (
                hour INTEGER NOT NULL,
                resource_type TEXT NOT NULL,
                subject TEXT NOT NULL,
                component TEXT NOT NULL,
                operation TEXT NOT NULL,
                calls INTEGER NOT NULL,
                input_tokens INTEGER NOT NULL,
                output_tokens INTEGER NOT NULL,
                cached_input_tokens INTEGER NOT NULL,
                cache_write_tokens INTEGER NOT NULL,
                reasoning_tokens INTEGER NOT NULL,
                estimated_calls INTEGER NOT NULL,
                calls_without_usage INTEGER NOT NULL,
                unpriced_calls INTEGER NOT NULL,
                quantity REAL NOT NULL,
                cost_usd TEXT NOT NULL,
                PRIMARY KEY (hour, resource_type, subject, component, operation));
            CREATE TABLE cost_budgets (
                period TEXT NOT NULL,
                start INTEGER NOT NULL,
                spent_usd TEXT NOT NULL,
                fired TEXT NOT NULL,
                PRIMARY KEY (period, start));
            """),
        new(2, """
            ALTER TABLE cost_hourly ADD COLUMN cache_hits INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE cost_hourly ADD COLUMN cache_hit_tokens INTEGER NOT NULL DEFAULT 0;
            """),
    ];

    private void Register()
    {
        _database.RegisterSchema("costs", Schema);
        _database.RegisterRetention("cost_events", "at");
        _database.RegisterRetention("cost_hourly", "hour");
    }

    public void Insert(DateTimeOffset at, CostKey key, in TokenUsage usage, double quantity, decimal? cost) =>
        _database.TryWrite(new InsertEvent(at.ToUnixTimeMilliseconds(), key, usage, quantity, cost));

    public void Save(CostKey key, CostCell cell) => _database.TryWrite(new SaveHourly(key, cell.Copy()));

    public void SaveBudget(BudgetPeriod period, long start, decimal spent, IReadOnlyCollection<double> fired) =>
        _database.TryWrite(new SaveBudgetRow(period, start, spent, string.Join(",", fired.Order().Select(f => f.ToString(CultureInfo.InvariantCulture)))));

    public Task FlushAsync(CancellationToken cancellationToken) => _database.FlushAsync(cancellationToken);

    /// <summary>Reads back hourly totals since <paramref name="since"/> and the budget rows of the given period starts; false when there is no readable database.</summary>
    public bool TryLoad(long since, long dayStart, long monthStart, out StoredCosts stored) => _database.TryQuery(connection =>
    {
        var result = new StoredCosts();
        using (SqliteCommand check = Command(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('cost_hourly', 'cost_budgets')"))
        {
            if (check.ExecuteScalar() is not long tables || tables != 2)
            {
                return result;
            }
        }

        using (SqliteCommand command = Command(
            connection,
            "SELECT hour, resource_type, subject, component, operation, calls, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, " +
            "reasoning_tokens, estimated_calls, calls_without_usage, unpriced_calls, quantity, cost_usd, cache_hits, cache_hit_tokens FROM cost_hourly WHERE hour >= $since",
            ("$since", since)))
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var key = new CostKey(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));
                result.Hourly[key] = new CostCell
                {
                    Calls = reader.GetInt64(5),
                    Input = reader.GetInt64(6),
                    Output = reader.GetInt64(7),
                    CachedInput = reader.GetInt64(8),
                    CacheWrite = reader.GetInt64(9),
                    Reasoning = reader.GetInt64(10),
                    EstimatedCalls = reader.GetInt64(11),
                    CallsWithoutUsage = reader.GetInt64(12),
                    UnpricedCalls = reader.GetInt64(13),
                    Quantity = reader.GetDouble(14),
                    Cost = decimal.Parse(reader.GetString(15), NumberStyles.Float, CultureInfo.InvariantCulture),
                    CacheHits = reader.GetInt64(16),
                    CacheHitTokens = reader.GetInt64(17),
                };
            }
        }

        using (SqliteCommand command = Command(
            connection,
            "SELECT period, start, spent_usd, fired FROM cost_budgets WHERE (period = 'daily' AND start = $day) OR (period = 'monthly' AND start = $month)",
            ("$day", dayStart),
            ("$month", monthStart)))
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                BudgetPeriod period = EnumNames.Parse(reader.GetString(0), BudgetPeriod.Daily);
                decimal spent = decimal.Parse(reader.GetString(2), NumberStyles.Float, CultureInfo.InvariantCulture);
                List<double> fired = [.. reader.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(f => double.Parse(f, CultureInfo.InvariantCulture))];
                result.Budgets[period] = (reader.GetInt64(1), spent, fired);
            }
        }

        return result;
    }, out stored);

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

    private static string Money(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record InsertEvent(long At, CostKey Key, TokenUsage Usage, double Quantity, decimal? Cost) : IStorageWrite
    {
        public void Execute(SqliteConnection connection, SqliteTransaction transaction)
        {
            using SqliteCommand command = Command(
                connection,
                transaction,
                "INSERT INTO cost_events (at, resource_type, subject, component, operation, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, quantity, cost_usd, estimated) " +
                "VALUES ($at, $type, $subject, $component, $operation, $input, $output, $cached, $written, $reasoning, $quantity, $cost, $estimated)",
                ("$at", At),
                ("$type", Key.ResourceType),
                ("$subject", Key.Subject),
                ("$component", Key.Component),
                ("$operation", Key.Operation),
                ("$input", Usage.InputTokens),
                ("$output", Usage.OutputTokens),
                ("$cached", Usage.CachedInputTokens),
                ("$written", Usage.CacheWriteTokens),
                ("$reasoning", Usage.ReasoningTokens),
                ("$quantity", Quantity),
                ("$cost", Cost is { } cost ? Money(cost) : null),
                ("$estimated", Usage.IsEstimated ? 1 : 0));
            command.ExecuteNonQuery();
        }
    }

    private sealed record SaveHourly(CostKey Key, CostCell Cell) : IStorageWrite
    {
        public void Execute(SqliteConnection connection, SqliteTransaction transaction)
        {
            CostCell c = Cell;
            using SqliteCommand command = Command(
                connection,
                transaction,
                "INSERT INTO cost_hourly (hour, resource_type, subject, component, operation, calls, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, " +
                "reasoning_tokens, estimated_calls, calls_without_usage, unpriced_calls, quantity, cost_usd, cache_hits, cache_hit_tokens) " +
                "VALUES ($hour, $type, $subject, $component, $operation, $calls, $input, $output, $cached, $written, $reasoning, $estimated, $without, $unpriced, $quantity, $cost, $hits, $hitTokens) " +
                "ON CONFLICT (hour, resource_type, subject, component, operation) DO UPDATE SET calls = excluded.calls, input_tokens = excluded.input_tokens, " +
                "output_tokens = excluded.output_tokens, cached_input_tokens = excluded.cached_input_tokens, cache_write_tokens = excluded.cache_write_tokens, " +
                "reasoning_tokens = excluded.reasoning_tokens, estimated_calls = excluded.estimated_calls, calls_without_usage = excluded.calls_without_usage, " +
                "unpriced_calls = excluded.unpriced_calls, quantity = excluded.quantity, cost_usd = excluded.cost_usd, cache_hits = excluded.cache_hits, " +
                "cache_hit_tokens = excluded.cache_hit_tokens",
                ("$hour", Key.Hour),
                ("$type", Key.ResourceType),
                ("$subject", Key.Subject),
                ("$component", Key.Component),
                ("$operation", Key.Operation),
                ("$calls", c.Calls),
                ("$input", c.Input),
                ("$output", c.Output),
                ("$cached", c.CachedInput),
                ("$written", c.CacheWrite),
                ("$reasoning", c.Reasoning),
                ("$estimated", c.EstimatedCalls),
                ("$without", c.CallsWithoutUsage),
                ("$unpriced", c.UnpricedCalls),
                ("$quantity", c.Quantity),
                ("$cost", Money(c.Cost)),
                ("$hits", c.CacheHits),
                ("$hitTokens", c.CacheHitTokens));
            command.ExecuteNonQuery();
        }
    }

    private sealed record SaveBudgetRow(BudgetPeriod Period, long Start, decimal Spent, string Fired) : IStorageWrite
    {
        public void Execute(SqliteConnection connection, SqliteTransaction transaction)
        {
            using SqliteCommand command = Command(
                connection,
                transaction,
                "INSERT INTO cost_budgets (period, start, spent_usd, fired) VALUES ($period, $start, $spent, $fired) " +
                "ON CONFLICT (period, start) DO UPDATE SET spent_usd = excluded.spent_usd, fired = excluded.fired",
                ("$period", EnumNames.Of(Period)),
                ("$start", Start),
                ("$spent", Money(Spent)),
                ("$fired", Fired));
            command.ExecuteNonQuery();
        }
    }
}
