namespace Maran.Instrument;

/// <summary>The database of a system built with the SQLite feature, for the toolkit's own tools and tests.</summary>
internal static class SqliteSystemExtensions
{
    extension(AdvancedMonitoringSystem system)
    {
        /// <summary>The monitoring database; the system must have been built with the SQLite feature.</summary>
        internal MaranDatabase Database => ((SqliteStorage)system.Storage).Database;
    }
}
