namespace Maran.Instrument;

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

/// <summary>The error tracker's rows: every error, the groups, and hourly counts of errors and calls.</summary>
internal interface IErrorPersistence
{
    /// <summary>Whether stored rows can be read back and waited for; a faulted or absent store is not waited for.</summary>
    bool IsAvailable { get; }

    void Insert(TrackedError error);

    void Save(ErrorGroupState group);

    void Save(HourlyErrorKey key, long count);

    void Save(HourlyCallKey key, long calls);

    /// <summary>Completes when every write accepted before the call has been committed.</summary>
    Task FlushAsync(CancellationToken cancellationToken);

    /// <summary>Reads back groups and hourly counts since <paramref name="since"/> (Unix ms); false when there is nothing readable.</summary>
    bool TryLoad(long since, out StoredErrors stored);

    /// <summary>The latest stored errors, newest first, optionally of one group; false when there is nothing readable.</summary>
    bool TryReadRecent(int limit, string? fingerprint, out List<TrackedError> errors);
}

/// <summary>What <see cref="IErrorPersistence.TryLoad"/> read back.</summary>
internal sealed class StoredErrors
{
    public List<ErrorGroupState> Groups { get; } = [];

    public Dictionary<HourlyErrorKey, long> Hourly { get; } = [];

    public Dictionary<HourlyCallKey, long> Calls { get; } = [];
}

/// <summary>The cost tracker's rows: every priced usage, hourly cells and budget periods.</summary>
internal interface ICostPersistence
{
    void Insert(DateTimeOffset at, CostKey key, in TokenUsage usage, double quantity, decimal? cost);

    void Save(CostKey key, CostCell cell);

    void SaveBudget(BudgetPeriod period, long start, decimal spent, IEnumerable<double> fired);

    /// <summary>Completes when every write accepted before the call has been committed.</summary>
    Task FlushAsync(CancellationToken cancellationToken);

    /// <summary>Reads back hourly cells since <paramref name="since"/> and the budgets of the current day and month; false when there is nothing readable.</summary>
    bool TryLoad(long since, long dayStart, long monthStart, out StoredCosts stored);
}

/// <summary>What <see cref="ICostPersistence.TryLoad"/> read back.</summary>
internal sealed class StoredCosts
{
    public Dictionary<CostKey, CostCell> Hourly { get; } = [];

    public Dictionary<BudgetPeriod, (long Start, decimal Spent, List<double> Fired)> Budgets { get; } = [];
}

/// <summary>The alert history's rows: every state change and delivery attempt.</summary>
internal interface IAlertHistoryPersistence
{
    void Insert(AlertHistoryEntry entry);

    /// <summary>Completes when every entry accepted before the call has been committed.</summary>
    Task FlushAsync(CancellationToken cancellationToken);

    /// <summary>Stored entries matching <paramref name="filter"/>, newest first; false when there is nothing readable.</summary>
    bool TryRead(AlertHistoryFilter filter, out List<AlertHistoryEntry> entries);
}

/// <summary>The log store's rows, searchable.</summary>
internal interface ILogPersistence
{
    void Insert(LogEntry entry);

    /// <summary>Stored events matching <paramref name="query"/>, newest first; false when there is nothing readable.</summary>
    bool TrySearch(LogQuery query, out List<LogEntry> entries);
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

    public void SaveBudget(BudgetPeriod period, long start, decimal spent, IEnumerable<double> fired)
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
