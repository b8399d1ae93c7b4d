using Microsoft.Data.Sqlite;

namespace Maran.Instrument;

/// <summary>
/// One forward step of a component's schema. Versions start at 1 and increase by one; a database records the
/// last version applied per component and applies the newer ones, each in its own transaction.
/// </summary>
/// <param name="Version">The version this step brings the component's schema to.</param>
/// <param name="Sql">The statements of the step.</param>
internal sealed record StorageMigration(int Version, string Sql);

/// <summary>One write the background writer performs inside a batch transaction.</summary>
internal interface IStorageWrite
{
    /// <summary>Runs the write. It may be run again (after a failed batch), so it must be idempotent or harmless to repeat within a rolled-back transaction.</summary>
    void Execute(SqliteConnection connection, SqliteTransaction transaction);
}
