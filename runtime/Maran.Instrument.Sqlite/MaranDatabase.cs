using System.Threading.Channels;
using Maran.Instrument.Configuration;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Storage;
using Microsoft.Data.Sqlite;

namespace Maran.Instrument;

/// <summary>
/// The one SQLite database of the toolkit (WAL mode), written by one background writer that commits batches from a
/// bounded queue. Components register their schema as forward migrations and their tables for retention.
/// A full queue drops and counts; a locked, read-only, corrupt or full database is reported once with its path
/// and reason, retried with back-off, and never blocks or throws into the caller; a corrupt file is moved aside
/// and a fresh one created. <see cref="Stop"/> writes everything accepted before it (within the stop timeout).
/// </summary>
internal sealed class MaranDatabase : IMonitoringService, IDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetentionEvery = TimeSpan.FromHours(1);

    // How long one statement waits for a database another connection holds locked before that is a fault.
    private const int LockWaitSeconds = 5;

    private readonly MonitoringOptions _options;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly List<(string Component, StorageMigration[] Steps)> _schemas = [];
    private readonly List<(string Table, string Column)> _retention = [];
    private Channel<IStorageWrite> _queue;
    private Task? _writer;
    private CancellationTokenSource? _abandon;
    private SqliteConnection? _connection;
    private bool _stopped;
    private bool _schemaChanged = true;
    private DateTimeOffset _nextRetention;
    private string? _fault;
    private long _written;
    private long _dropped;
    private long _lost;
    private long _pending;

    internal MaranDatabase(MonitoringOptions options, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _queue = CreateQueue();
    }

    public string Name => "storage";

    private StorageSettings Settings => _options.Storage;

    /// <summary>The database file, as configured.</summary>
    public string Path => Settings.ResolvePath(_options.Monitoring);

    /// <summary>Declares a component's schema; newer steps are applied the next time the database is opened.</summary>
    public void RegisterSchema(string component, params StorageMigration[] steps)
    {
        for (int i = 0; i < steps.Length; i++)
        {
            if (steps[i].Version != i + 1)
            {
                throw new ArgumentException($"Migrations of {component} must be numbered 1, 2, 3...; step {i + 1} says {steps[i].Version}.", nameof(steps));
            }
        }

        lock (_gate)
        {
            _schemas.Add((component, steps));
            _schemaChanged = true;
        }
    }

    /// <summary>Deletes rows of <paramref name="table"/> whose <paramref name="timestampColumn"/> (Unix milliseconds) is older than the retention.</summary>
    public void RegisterRetention(string table, string timestampColumn)
    {
        lock (_gate)
        {
            _retention.Add((table, timestampColumn));
        }
    }

    /// <summary>Accepts a write for the background writer; never blocks. False when storage is off or the queue is full (counted).</summary>
    public bool TryWrite(IStorageWrite write)
    {
        if (!Settings.Enabled || Volatile.Read(ref _stopped))
        {
            return false;
        }

        if (Volatile.Read(ref _queue).Writer.TryWrite(write))
        {
            Interlocked.Increment(ref _pending);
            return true;
        }

        Interlocked.Increment(ref _dropped);
        MonitoringDiagnostics.Drop("storage");
        return false;
    }

    /// <summary>Completes when every write accepted before the call has been committed (or the database gave up).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (!Settings.Enabled)
        {
            return;
        }

        var barrier = new FlushBarrier();
        if (!Volatile.Read(ref _queue).Writer.TryWrite(barrier))
        {
            return;
        }

        await barrier.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a read on its own connection. False when storage is off, not yet created, or unreadable; callers then answer from memory.</summary>
    public bool TryQuery<T>(Func<SqliteConnection, T> query, out T result)
    {
        result = default!;
        string path = Path;
        if (!Settings.Enabled || !File.Exists(path))
        {
            return false;
        }

        try
        {
            using var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadOnly));
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout=" + (LockWaitSeconds * 1000));
            result = query(connection);
            return true;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 8 or 14 && TryQueryImmutable(path, query, out result))
        {
            return true;
        }
        catch (SqliteException ex)
        {
            MonitoringDiagnostics.InternalError("storage read", ex);
            return false;
        }
    }

    // On read-only media SQLite cannot create the shared-memory file a WAL database is read through; opened as
    // immutable, it reads the file as it is, which is what read-only media guarantee.
    private static bool TryQueryImmutable<T>(string path, Func<SqliteConnection, T> query, out T result)
    {
        result = default!;
        try
        {
            string uri = "file:" + Uri.EscapeDataString(path).Replace("%2F", "/", StringComparison.Ordinal) + "?immutable=1";
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = uri, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            result = query(connection);
            return true;
        }
        catch (SqliteException ex)
        {
            MonitoringDiagnostics.InternalError("storage read", ex);
            return false;
        }
    }

    /// <summary>The database's state, for the dashboard and tests.</summary>
    public StorageStatus GetStatus()
    {
        lock (_gate)
        {
            return new StorageStatus(
                Path,
                Settings.Enabled,
                Settings.Enabled && _fault is null,
                _fault,
                Interlocked.Read(ref _written),
                Interlocked.Read(ref _dropped),
                Interlocked.Read(ref _lost),
                Math.Max(0, Interlocked.Read(ref _pending)));
        }
    }

    public void Start()
    {
        lock (_gate)
        {
            if (_writer is not null || !Settings.Enabled)
            {
                return;
            }

            if (_stopped)
            {
                Volatile.Write(ref _queue, CreateQueue());
                _stopped = false;
            }

            _abandon = new CancellationTokenSource();
            Channel<IStorageWrite> queue = _queue;
            CancellationToken abandon = _abandon.Token;
            _writer = Task.Run(() => RunAsync(queue, abandon));
        }
    }

    public void Stop()
    {
        Task? writer;
        CancellationTokenSource? abandon;
        lock (_gate)
        {
            writer = _writer;
            abandon = _abandon;
            _writer = null;
            _abandon = null;
            _stopped = true;
            _queue.Writer.TryComplete();
        }

        if (writer is null)
        {
            return;
        }

        // Everything accepted is written unless the database keeps failing past the stop timeout.
        if (!writer.Wait(Settings.StopTimeout))
        {
            abandon!.Cancel();
            writer.Wait(TimeSpan.FromSeconds(5));
        }

        abandon!.Dispose();
        CloseConnection();
    }

    public void Dispose() => Stop();

    private Channel<IStorageWrite> CreateQueue() =>
        Channel.CreateBounded<IStorageWrite>(new BoundedChannelOptions(Math.Max(1, Settings.QueueCapacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

    private async Task RunAsync(Channel<IStorageWrite> queue, CancellationToken abandon)
    {
        var batch = new List<IStorageWrite>();
        TimeSpan backoff = FirstBackoff;
        try
        {
            while (true)
            {
                if (batch.Count == 0)
                {
                    if (!await queue.Reader.WaitToReadAsync(abandon).ConfigureAwait(false))
                    {
                        return;
                    }

                    while (batch.Count < Settings.BatchSize && queue.Reader.TryRead(out IStorageWrite? write))
                    {
                        batch.Add(write);
                    }
                }

                if (Commit(batch))
                {
                    batch.Clear();
                    backoff = FirstBackoff;
                    ApplyRetentionWhenDue();
                    continue;
                }

                await Task.Delay(backoff, _time, abandon).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LastBackoff.Ticks));
            }
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            long lost = batch.Count(w => w is not FlushBarrier);
            while (queue.Reader.TryRead(out IStorageWrite? write))
            {
                lost += write is FlushBarrier ? 0 : 1;
                (write as FlushBarrier)?.Done.TrySetResult();
            }

            foreach (FlushBarrier barrier in batch.OfType<FlushBarrier>())
            {
                barrier.Done.TrySetResult();
            }

            Interlocked.Add(ref _lost, lost);
            Interlocked.Add(ref _pending, -lost);
            MonitoringDiagnostics.Warn($"[maran] storage stopped with {lost} accepted write(s) unwritten: {_fault ?? "the database did not answer in time"}");
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("storage writer", ex);
        }
    }

    private bool Commit(List<IStorageWrite> batch)
    {
        if (batch.TrueForAll(w => w is FlushBarrier))
        {
            batch.ForEach(w => ((FlushBarrier)w).Done.TrySetResult());
            return true;
        }

        try
        {
            SqliteConnection connection = EnsureOpen();
            using (SqliteTransaction transaction = connection.BeginTransaction())
            {
                for (int i = 0; i < batch.Count; i++)
                {
                    if (batch[i] is not FlushBarrier)
                    {
                        ExecuteIsolated(batch[i], connection, transaction);
                    }
                }

                transaction.Commit();
            }

            int writes = batch.Count(w => w is not FlushBarrier);
            Interlocked.Add(ref _written, writes);
            Interlocked.Add(ref _pending, -writes);
            Recovered();
            foreach (FlushBarrier barrier in batch.OfType<FlushBarrier>())
            {
                barrier.Done.TrySetResult();
            }

            return true;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            Faulted(ex);
            CloseConnection();
            return false;
        }
    }

    // A write that is wrong in itself (a bug, a constraint) is skipped and counted; it must not hold back the others.
    private static void ExecuteIsolated(IStorageWrite write, SqliteConnection connection, SqliteTransaction transaction)
    {
        transaction.Save("write");
        try
        {
            write.Execute(connection, transaction);
            transaction.Release("write");
        }
        catch (Exception ex) when (!IsDatabaseFault(ex))
        {
            transaction.Rollback("write");
            MonitoringDiagnostics.InternalError("storage write " + write.GetType().Name, ex);
        }
    }

    private SqliteConnection EnsureOpen()
    {
        bool migrate;
        lock (_gate)
        {
            migrate = _schemaChanged;
        }

        if (_connection is { State: System.Data.ConnectionState.Open } open && !migrate)
        {
            return open;
        }

        string path = Path;
        if (_connection is null)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadWriteCreate));
            try
            {
                connection.Open();
                Execute(connection, "PRAGMA busy_timeout=" + (LockWaitSeconds * 1000));
                Execute(connection, "PRAGMA journal_mode=WAL");
                Execute(connection, "PRAGMA synchronous=NORMAL");
                Execute(connection, "PRAGMA foreign_keys=ON");
                Execute(connection, "CREATE TABLE IF NOT EXISTS maran_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL, applied_at INTEGER NOT NULL)");
            }
            catch (SqliteException ex) when (IsCorrupt(ex))
            {
                connection.Dispose();
                Quarantine(path, ex);
                throw;
            }
            catch
            {
                connection.Dispose();
                throw;
            }

            _connection = connection;
        }

        Migrate(_connection);
        return _connection;
    }

    private void Migrate(SqliteConnection connection)
    {
        List<(string Component, StorageMigration[] Steps)> schemas;
        lock (_gate)
        {
            schemas = [.. _schemas];
            _schemaChanged = false;
        }

        foreach ((string component, StorageMigration[] steps) in schemas)
        {
            long current = ScalarLong(connection, "SELECT version FROM maran_schema WHERE component = $c", ("$c", component));
            foreach (StorageMigration step in steps.Where(s => s.Version > current))
            {
                using SqliteTransaction transaction = connection.BeginTransaction();
                using (SqliteCommand command = connection.CreateCommand())
                {
                    command.Transaction = transaction;
                    command.CommandText = step.Sql;
                    command.ExecuteNonQuery();
                }

                using (SqliteCommand record = connection.CreateCommand())
                {
                    record.Transaction = transaction;
                    record.CommandText = "INSERT INTO maran_schema (component, version, applied_at) VALUES ($c, $v, $t) " +
                                         "ON CONFLICT(component) DO UPDATE SET version = excluded.version, applied_at = excluded.applied_at";
                    record.Parameters.AddWithValue("$c", component);
                    record.Parameters.AddWithValue("$v", step.Version);
                    record.Parameters.AddWithValue("$t", _time.GetUtcNow().ToUnixTimeMilliseconds());
                    record.ExecuteNonQuery();
                }

                transaction.Commit();
            }
        }
    }

    private void ApplyRetentionWhenDue()
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (now < _nextRetention || _connection is null)
        {
            return;
        }

        _nextRetention = now + RetentionEvery;
        long cutoff = (now - TimeSpan.FromDays(Settings.RetentionDays)).ToUnixTimeMilliseconds();
        List<(string Table, string Column)> tables;
        lock (_gate)
        {
            tables = [.. _retention];
        }

        foreach ((string table, string column) in tables)
        {
            try
            {
                // Small chunks, so new writes wait at most one chunk behind retention.
                while (Execute(_connection, $"DELETE FROM {table} WHERE rowid IN (SELECT rowid FROM {table} WHERE {column} < $cutoff LIMIT 1000)", ("$cutoff", cutoff)) > 0)
                {
                }
            }
            catch (SqliteException ex)
            {
                MonitoringDiagnostics.InternalError("storage retention", ex);
            }
        }
    }

    private void Faulted(Exception ex)
    {
        string reason = ex is SqliteException sqlite ? $"{Describe(sqlite)} ({sqlite.Message.Trim()})" : ex.Message.Trim().TrimEnd('.');
        string fault = $"{Path}: {reason}";
        bool first;
        lock (_gate)
        {
            first = _fault is null;
            _fault = fault;
        }

        if (first)
        {
            MonitoringDiagnostics.Warn($"[maran] storage unavailable: {fault}. Monitoring continues in memory; writes are kept and retried with back-off. " +
                                       "The database's place is monitoring.data_dir (MARAN_DATA_DIR) or storage.path.");
        }
    }

    private void Recovered()
    {
        bool wasFaulted;
        lock (_gate)
        {
            wasFaulted = _fault is not null;
            _fault = null;
        }

        if (wasFaulted)
        {
            MonitoringDiagnostics.Warn($"[maran] storage available again: {Path}");
        }
    }

    // A file that is not a database, or a corrupt one, is moved aside so monitoring can start a fresh one.
    private static void Quarantine(string path, SqliteException reason)
    {
        string suffix = ".corrupt-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        foreach (string file in new[] { path, path + "-wal", path + "-shm" })
        {
            try
            {
                if (File.Exists(file))
                {
                    File.Move(file, file + suffix);
                }
            }
            catch (IOException)
            {
            }
        }

        MonitoringDiagnostics.Warn($"[maran] storage: {path} is {Describe(reason)}; it was moved to {path + suffix} and a new database is created.");
    }

    private void CloseConnection()
    {
        SqliteConnection? connection = _connection;
        _connection = null;
        connection?.Dispose();
        lock (_gate)
        {
            _schemaChanged = true;
        }
    }

    private static bool IsCorrupt(SqliteException ex) => ex.SqliteErrorCode is 11 or 26;

    private static bool IsDatabaseFault(Exception ex) =>
        ex is IOException or UnauthorizedAccessException
        || (ex is SqliteException sqlite && sqlite.SqliteErrorCode is 3 or 5 or 6 or 8 or 10 or 11 or 13 or 14 or 26);

    private static string Describe(SqliteException ex) => ex.SqliteErrorCode switch
    {
        3 => "not permitted",
        5 or 6 => "locked by another process",
        8 => "read-only",
        10 => "failing to read or write the disk",
        11 => "corrupt",
        13 => "out of disk space",
        14 => "impossible to open (missing directory or no permission)",
        26 => "not a database",
        _ => "failing (SQLite error " + ex.SqliteErrorCode + ")",
    };

    // DefaultTimeout bounds Microsoft.Data.Sqlite's own retries on a busy database (30 s by default), on top of
    // busy_timeout: a database another process holds locked is reported as a fault after seconds, not a minute.
    private static string ConnectionString(string path, SqliteOpenMode mode) =>
        new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false, DefaultTimeout = LockWaitSeconds }.ToString();

    internal static int Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        foreach ((string name, object value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteNonQuery();
    }

    private static long ScalarLong(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        foreach ((string name, object value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteScalar() is long scalar ? scalar : 0;
    }

    /// <summary>A write that only marks a point in the queue: completed once everything before it is committed.</summary>
    private sealed class FlushBarrier : IStorageWrite
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Execute(SqliteConnection connection, SqliteTransaction transaction)
        {
        }
    }
}
