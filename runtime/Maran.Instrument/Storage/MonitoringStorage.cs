using Maran.Instrument.Alerts;
using Maran.Instrument.Costs;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Errors;
using Maran.Instrument.Logging;
using Maran.Instrument.Telemetry;

namespace Maran.Instrument.Storage;

/// <summary>What the storage is doing: where it is, whether it is usable, and what it wrote, dropped and lost.</summary>
/// <param name="Path">The database file.</param>
/// <param name="Enabled">False when storage is turned off in the configuration.</param>
/// <param name="Available">Whether the last attempt to open or write succeeded.</param>
/// <param name="Fault">Why the database is unusable, with the path; null when it is fine.</param>
/// <param name="Written">Writes committed since start.</param>
/// <param name="Dropped">Writes refused because the queue was full.</param>
/// <param name="Lost">Accepted writes that could not be written before stop gave up.</param>
/// <param name="Pending">Writes accepted and not yet committed.</param>
public sealed record StorageStatus(string Path, bool Enabled, bool Available, string? Fault, long Written, long Dropped, long Lost, long Pending);

/// <summary>
/// Where the trackers keep what outlives the process: errors, costs, logs and alert history. The core keeps them
/// in memory only (<see cref="InMemoryStorage"/>); a storage feature (Maran.Instrument.Sqlite) provides a
/// database. Every write is accepted without blocking and every read answers false when there is nothing to
/// read, so the trackers then answer from memory.
/// </summary>
internal interface IMonitoringStorage : IMonitoringService
{
    IErrorPersistence Errors { get; }

    ICostPersistence Costs { get; }

    IAlertHistoryPersistence AlertHistory { get; }

    ILogPersistence Logs { get; }

    /// <summary>What the storage is doing, for the dashboard and tests.</summary>
    StorageStatus GetStatus();
}

/// <summary>No storage: the trackers keep what they hold in memory, and nothing is written or read back.</summary>
internal sealed class InMemoryStorage : IMonitoringStorage, IErrorPersistence, ICostPersistence, IAlertHistoryPersistence, ILogPersistence
{
    public string Name => "storage";

    public IErrorPersistence Errors => this;

    public ICostPersistence Costs => this;

    public IAlertHistoryPersistence AlertHistory => this;

    public ILogPersistence Logs => this;

    public bool IsAvailable => false;

    public StorageStatus GetStatus() => new("(memory)", Enabled: false, Available: false, Fault: null, Written: 0, Dropped: 0, Lost: 0, Pending: 0);

    public void Start()
    {
    }

    public void Stop()
    {
    }

    public void Insert(TrackedError error)
    {
    }

    public void Save(ErrorGroupState group)
    {
    }

    public void Save(HourlyErrorKey key, long count)
    {
    }

    public void Save(HourlyCallKey key, long calls)
    {
    }

    public void Insert(DateTimeOffset at, CostKey key, in TokenUsage usage, double quantity, decimal? cost)
    {
    }

    public void Save(CostKey key, CostCell cell)
    {
    }

    public void SaveBudget(BudgetPeriod period, long start, decimal spent, IReadOnlyCollection<double> fired)
    {
    }

    public void Insert(AlertHistoryEntry entry)
    {
    }

    public void Insert(LogEntry entry)
    {
    }

    public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public bool TryLoad(long since, out StoredErrors stored)
    {
        stored = new StoredErrors();
        return false;
    }

    public bool TryLoad(long since, long dayStart, long monthStart, out StoredCosts stored)
    {
        stored = new StoredCosts();
        return false;
    }

    public bool TryReadRecent(int limit, string? fingerprint, out List<TrackedError> errors)
    {
        errors = [];
        return false;
    }

    public bool TryRead(AlertHistoryFilter filter, out List<AlertHistoryEntry> entries)
    {
        entries = [];
        return false;
    }

    public bool TrySearch(LogQuery query, out List<LogEntry> entries)
    {
        entries = [];
        return false;
    }
}
