using Maran.Instrument.Configuration;
using Microsoft.Data.Sqlite;

namespace Maran.Instrument.Tests.Storage;

/// <summary>A database in a temporary folder of its own, with one simple table, removed after the test.</summary>
internal sealed class TestDatabase : IDisposable
{
    public TestDatabase(Action<StorageSettings>? configure = null, TimeProvider? time = null)
    {
        Directory.CreateDirectory(Folder);
        Options = new MonitoringOptions();
        Options.Monitoring.DataDirectory = Folder;
        configure?.Invoke(Options.Storage);
        Database = new MaranDatabase(Options, time);
        Database.RegisterSchema("notes", new StorageMigration(1, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL, at INTEGER NOT NULL)"));
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "maran-storage-" + Guid.NewGuid().ToString("N"));

    public MonitoringOptions Options { get; }

    public MaranDatabase Database { get; }

    public string FilePath => Database.Path;

    public bool Write(string text, long at = 0) => Database.TryWrite(new Note(text, at));

    public List<string> Notes()
    {
        Assert.True(Database.TryQuery(connection =>
        {
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "SELECT text FROM notes ORDER BY id";
            using SqliteDataReader reader = command.ExecuteReader();
            var notes = new List<string>();
            while (reader.Read())
            {
                notes.Add(reader.GetString(0));
            }

            return notes;
        }, out List<string> result), "the database could not be read");
        return result;
    }

    public void Dispose()
    {
        Database.Stop();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public sealed record Note(string Text, long At) : IStorageWrite
    {
        public void Execute(SqliteConnection connection, SqliteTransaction transaction)
        {
            using SqliteCommand command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO notes (text, at) VALUES ($text, $at)";
            command.Parameters.AddWithValue("$text", Text);
            command.Parameters.AddWithValue("$at", At);
            command.ExecuteNonQuery();
        }
    }

    public sealed class Broken : IStorageWrite
    {
        public void Execute(SqliteConnection connection, SqliteTransaction transaction) =>
            throw new InvalidOperationException("a bug in one write");
    }
}
