using Maran.Instrument.Alerts;
using Maran.Instrument.Configuration;
using Maran.Instrument.Costs;
using Maran.Instrument.Errors;
using Maran.Instrument.Logging;
using Maran.Instrument.Storage;

namespace Maran.Instrument;

/// <summary>
/// The storage on disk: one SQLite database (<c>storage.path</c>, <c>./maran-data/maran.db</c> by default) holding
/// the errors, costs, logs and alert history, written in the background.
/// </summary>
internal sealed class SqliteStorage : IMonitoringStorage
{
    public SqliteStorage(MonitoringOptions options, TimeProvider time)
    {
        Database = new MaranDatabase(options, time);
        Errors = new ErrorStore(Database);
        Costs = new CostStore(Database);
        AlertHistory = new AlertHistoryStore(Database);
        Logs = new LogTable(Database);
    }

    public string Name => "storage";

    public MaranDatabase Database { get; }

    public IErrorPersistence Errors { get; }

    public ICostPersistence Costs { get; }

    public IAlertHistoryPersistence AlertHistory { get; }

    public ILogPersistence Logs { get; }

    public StorageStatus GetStatus() => Database.GetStatus();

    public void Start() => Database.Start();

    public void Stop() => Database.Stop();
}
