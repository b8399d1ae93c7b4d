using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Maran.Instrument.Tool.Commands;

/// <summary>
/// <c>maran db check PATH</c>: opens a monitoring database read-only and prints SQLite's integrity check, the schema
/// version of each component (from <c>maran_schema</c>) and the rows of each table; exit 1 when the check finds damage.
/// </summary>
internal sealed class DbCheckCommand : IToolCommand
{
    private static readonly byte[] s_header = "SQLite format 3\0"u8.ToArray();

    public string Group => "db";

    public string Name => "check";

    public string Arguments => "PATH";

    public string Summary => "check a monitoring database: integrity, schema versions, rows per table";

    public int Run(IReadOnlyList<string> arguments, ToolContext context)
    {
        if (arguments.Count != 1)
        {
            return context.Fail(ExitCodes.BadInput, "db check needs the database file (maran-data/monitoring.db)");
        }

        string path = arguments[0];
        if (!File.Exists(path))
        {
            return context.Fail(ExitCodes.BadInput, $"no such file: {path}");
        }

        if (!HasSqliteHeader(path))
        {
            return context.Fail(ExitCodes.BadInput, $"{path} is not a SQLite database (its first bytes are not the SQLite header)");
        }

        var builder = new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(path), Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        try
        {
            using var connection = new SqliteConnection(builder.ToString());
            connection.Open();
            List<string> integrity = Column(connection, "PRAGMA integrity_check");
            bool intact = integrity is ["ok"];
            context.Out.WriteLine($"database: {Path.GetFullPath(path)}");
            context.Out.WriteLine($"integrity: {string.Join("; ", integrity)}");
            WriteSchema(connection, context.Out);
            context.Out.WriteLine("rows:");
            foreach (string table in Column(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"))
            {
                using SqliteCommand count = connection.CreateCommand();
                count.CommandText = $"SELECT COUNT(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
                long rows = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
                context.Out.WriteLine($"  {table}: {rows.ToString(CultureInfo.InvariantCulture)}");
            }

            return intact ? ExitCodes.Success : context.Fail(ExitCodes.CheckFailed, "the integrity check found damage");
        }
        catch (SqliteException ex)
        {
            return context.Fail(ExitCodes.BadInput, $"{path} cannot be read as a SQLite database: {ex.Message}");
        }
    }

    private static bool HasSqliteHeader(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        byte[] header = new byte[s_header.Length];
        return stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length && header.AsSpan().SequenceEqual(s_header);
    }

    private static void WriteSchema(SqliteConnection connection, TextWriter output)
    {
        bool tracked = Column(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'maran_schema'").Count == 1;
        if (!tracked)
        {
            output.WriteLine("schema: no maran_schema table (not a Maran.Instrument database, or never opened by one)");
            return;
        }

        output.WriteLine("schema:");
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT component, version FROM maran_schema ORDER BY component";
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            output.WriteLine($"  {reader.GetString(0)}: version {reader.GetInt64(1).ToString(CultureInfo.InvariantCulture)}");
        }
    }

    private static List<string> Column(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        using SqliteDataReader reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture) ?? string.Empty);
        }

        return values;
    }
}
