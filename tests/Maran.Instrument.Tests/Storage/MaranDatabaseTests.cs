using Maran.Instrument.Diagnostics;
using Maran.Instrument.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Maran.Instrument.Tests.Storage;

public class MaranDatabaseTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Accepted_writes_are_committed_in_wal_mode_under_the_data_directory()
    {
        using var db = new TestDatabase();
        db.Database.Start();

        Assert.True(db.Write("first"));
        Assert.True(db.Write("second"));
        await db.Database.FlushAsync().WaitAsync(Patience);

        Assert.Equal(["first", "second"], db.Notes());
        Assert.Equal(Path.Combine(db.Folder, "maran.db"), db.FilePath);
        using var connection = new SqliteConnection($"Data Source={db.FilePath}");
        connection.Open();
        using SqliteCommand mode = connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", mode.ExecuteScalar());
        Assert.Equal(2, db.Database.GetStatus().Written);
    }

    [Fact]
    public void Stop_writes_everything_that_was_accepted_before_it()
    {
        using var db = new TestDatabase();
        for (int i = 0; i < 1000; i++)
        {
            Assert.True(db.Write("note " + i));
        }

        db.Database.Start();
        db.Database.Stop();

        Assert.Equal(1000, db.Notes().Count);
        StorageStatus status = db.Database.GetStatus();
        Assert.Equal((1000L, 0L, 0L), (status.Written, status.Lost, status.Pending));
        Assert.False(db.Write("after stop"));
    }

    [Fact]
    public void A_full_queue_drops_and_counts_instead_of_blocking()
    {
        using var db = new TestDatabase(storage => storage.QueueCapacity = 3);

        bool[] accepted = [.. Enumerable.Range(0, 5).Select(i => db.Write("n" + i))];

        Assert.Equal([true, true, true, false, false], accepted);
        Assert.Equal(2, db.Database.GetStatus().Dropped);
        Assert.True(MonitoringDiagnostics.Dropped["storage"] >= 2);
    }

    [Fact]
    public async Task Migrations_run_forward_once_and_a_newer_version_adds_only_its_steps()
    {
        using var db = new TestDatabase();
        db.Database.Start();
        db.Write("kept");
        await db.Database.FlushAsync().WaitAsync(Patience);
        db.Database.Stop();

        var upgraded = new MaranDatabase(db.Options);
        upgraded.RegisterSchema(
            "notes",
            new StorageMigration(1, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL, at INTEGER NOT NULL)"),
            new StorageMigration(2, "ALTER TABLE notes ADD COLUMN tag TEXT"));
        upgraded.Start();
        upgraded.TryWrite(new TestDatabase.Note("after upgrade", 0));
        await upgraded.FlushAsync().WaitAsync(Patience);
        upgraded.Stop();

        Assert.True(upgraded.TryQuery(c =>
        {
            using SqliteCommand command = c.CreateCommand();
            command.CommandText = "SELECT (SELECT version FROM maran_schema WHERE component = 'notes'), (SELECT COUNT(*) FROM notes), (SELECT COUNT(*) FROM pragma_table_info('notes') WHERE name = 'tag')";
            using SqliteDataReader reader = command.ExecuteReader();
            reader.Read();
            return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }, out (long Version, long Rows, long TagColumns) state));
        Assert.Equal((2L, 2L, 1L), state);
    }

    [Fact]
    public async Task A_write_that_fails_by_itself_is_skipped_without_losing_the_rest_of_its_batch()
    {
        using var db = new TestDatabase();
        db.Database.Start();
        db.Write("before");
        db.Database.TryWrite(new TestDatabase.Broken());
        db.Write("after");
        await db.Database.FlushAsync().WaitAsync(Patience);

        Assert.Equal(["before", "after"], db.Notes());
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_moved_aside_and_a_fresh_one_is_created()
    {
        using var db = new TestDatabase();
        File.WriteAllText(db.FilePath, "this is not a database, it is a text file that happens to be in the way");
        db.Database.Start();

        db.Write("still recorded");
        await db.Database.FlushAsync().WaitAsync(Patience);

        Assert.Equal(["still recorded"], db.Notes());
        Assert.Single(Directory.GetFiles(db.Folder, "maran.db.corrupt-*"));
    }

    [Fact]
    public async Task A_database_that_cannot_be_opened_is_reported_once_and_written_once_it_can()
    {
        using var db = new TestDatabase();
        string blocker = Path.Combine(db.Folder, "blocked");
        File.WriteAllText(blocker, "a file where the data directory should be");
        db.Options.Storage.Path = Path.Combine(blocker, "maran.db");
        var reports = new List<string>();
        Action<string> previous = MonitoringDiagnostics.Report;
        db.Database.Start();
        try
        {
            MonitoringDiagnostics.Report = message =>
            {
                lock (reports)
                {
                    reports.Add(message);
                }
            };

            Assert.True(db.Write("waits for the disk"));
            Task flushed = db.Database.FlushAsync();
            await WaitUntil(() => db.Database.GetStatus().Fault is not null);

            StorageStatus faulted = db.Database.GetStatus();
            Assert.False(faulted.Available);
            Assert.Contains(db.Options.Storage.Path, faulted.Fault, StringComparison.Ordinal);
            Assert.False(flushed.IsCompleted);

            File.Delete(blocker);
            await flushed.WaitAsync(Patience);

            Assert.Equal(["waits for the disk"], db.Notes());
            Assert.True(db.Database.GetStatus().Available);
            Assert.True(MonitoringDiagnostics.Flush());
            lock (reports)
            {
                Assert.Single(reports, r => r.Contains("storage unavailable", StringComparison.Ordinal));
                Assert.Single(reports, r => r.Contains("storage available again", StringComparison.Ordinal));
            }
        }
        finally
        {
            MonitoringDiagnostics.Report = previous;
        }
    }

    [Fact]
    public async Task A_database_locked_by_another_process_is_reported_and_written_once_the_lock_is_released()
    {
        using var db = new TestDatabase();
        db.Database.Start();
        Assert.True(db.Write("before the lock"));
        await db.Database.FlushAsync().WaitAsync(Patience);

        using var other = new SqliteConnection($"Data Source={db.FilePath};Pooling=False");
        other.Open();
        using (SqliteTransaction holding = other.BeginTransaction(deferred: false))
        {
            Assert.True(db.Write("while locked"));
            Task flushed = db.Database.FlushAsync();
            await WaitUntil(() => db.Database.GetStatus().Fault is not null);

            StorageStatus locked = db.Database.GetStatus();
            Assert.Contains(db.FilePath, locked.Fault, StringComparison.Ordinal);
            Assert.Contains("locked", locked.Fault, StringComparison.Ordinal);
            Assert.False(flushed.IsCompleted);

            holding.Rollback();
            await flushed.WaitAsync(Patience);
        }

        Assert.Equal(["before the lock", "while locked"], db.Notes());
        Assert.True(db.Database.GetStatus().Available);
    }

    [SkippableFact]
    public async Task A_full_disk_is_reported_once_and_every_accepted_write_lands_once_space_is_freed()
    {
        using var db = new TestDatabase();
        using var disk = new SmallDisk(Path.Combine(db.Folder, "disk"), megabytes: 8);
        db.Options.Storage.Path = Path.Combine(db.Folder, "disk", "maran.db");
        var reports = new List<string>();
        Action<string> previous = MonitoringDiagnostics.Report;
        MonitoringDiagnostics.Report = message =>
        {
            lock (reports)
            {
                reports.Add(message);
            }
        };

        try
        {
            db.Database.Start();
            Assert.True(db.Write("before the disk filled up"));
            await db.Database.FlushAsync().WaitAsync(Patience);

            string filler = Path.Combine(db.Folder, "disk", "filler");
            disk.Fill(filler);
            string page = new('x', 64 * 1024);
            for (int i = 0; i < 16; i++)
            {
                Assert.True(db.Write($"{i} {page}"));
            }

            Task flushed = db.Database.FlushAsync();
            await WaitUntil(() => db.Database.GetStatus().Fault is not null);

            StorageStatus full = db.Database.GetStatus();
            Assert.False(full.Available);
            Assert.Contains(db.Options.Storage.Path, full.Fault, StringComparison.Ordinal);
            Assert.Contains("disk", full.Fault, StringComparison.Ordinal);
            Assert.False(flushed.IsCompleted);

            File.Delete(filler);
            await flushed.WaitAsync(Patience);

            List<string> notes = db.Notes();
            Assert.Equal(17, notes.Count);
            Assert.Equal("before the disk filled up", notes[0]);
            Assert.Equal(Enumerable.Range(0, 16).Select(i => $"{i} {page}"), notes.Skip(1));
            Assert.True(db.Database.GetStatus().Available);
            Assert.True(MonitoringDiagnostics.Flush());
            lock (reports)
            {
                Assert.Single(reports, r => r.Contains("storage unavailable", StringComparison.Ordinal));
                Assert.Single(reports, r => r.Contains("storage available again", StringComparison.Ordinal));
            }
        }
        finally
        {
            MonitoringDiagnostics.Report = previous;
            db.Database.Stop();
        }
    }

    [Fact]
    public async Task Stop_gives_up_after_its_timeout_when_the_database_stays_unusable_and_counts_what_was_lost()
    {
        using var db = new TestDatabase(storage => storage.StopTimeout = TimeSpan.FromMilliseconds(200));
        string blocker = Path.Combine(db.Folder, "blocked");
        File.WriteAllText(blocker, "never a directory");
        db.Options.Storage.Path = Path.Combine(blocker, "maran.db");
        db.Database.Start();
        db.Write("one");
        db.Write("two");
        await WaitUntil(() => db.Database.GetStatus().Fault is not null);

        db.Database.Stop();

        Assert.Equal(2, db.Database.GetStatus().Lost);
    }

    [Fact]
    public async Task Retention_deletes_rows_older_than_the_configured_days()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        using var db = new TestDatabase(storage => storage.RetentionDays = 7, time);
        db.Database.RegisterRetention("notes", "at");
        db.Database.Start();
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        db.Write("old", now - (long)TimeSpan.FromDays(8).TotalMilliseconds);
        db.Write("recent", now - (long)TimeSpan.FromDays(6).TotalMilliseconds);
        await db.Database.FlushAsync().WaitAsync(Patience);

        time.Advance(TimeSpan.FromHours(2));
        db.Write("trigger", now);
        await db.Database.FlushAsync().WaitAsync(Patience);

        Assert.Equal(["recent", "trigger"], db.Notes());
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
