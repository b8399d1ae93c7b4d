namespace Maran.Instrument.Dashboard;

/// <summary>
/// The overview: live totals of every operation, the state of the monitoring itself, and a placeholder (never a
/// made-up figure) for each part whose data source is absent.
/// </summary>
internal sealed record OverviewView(
    DateTimeOffset Time,
    bool Running,
    double UptimeSeconds,
    double CallsPerSecond,
    double ErrorRate,
    long CallsLastMinute,
    long ErrorsLastMinute,
    long TotalCalls,
    long TotalErrors,
    long InFlight,
    int Operations,
    StorageStatus Storage,
    InternalView Internal,
    ClientsView Clients,
    PlaceholderView Health,
    PlaceholderView CostToday,
    PlaceholderView Alerts,
    IReadOnlyList<SectionInfo> Sections);

/// <summary>Failures and drops inside the monitoring, in total and by kind (the ten largest).</summary>
internal sealed record InternalView(long Errors, long Dropped, IReadOnlyList<CountView> ErrorKinds, IReadOnlyList<CountView> DroppedQueues);

/// <summary>A named count.</summary>
internal sealed record CountView(string Name, long Count);

/// <summary>Live dashboard clients now, and how many were dropped for falling behind.</summary>
internal sealed record ClientsView(int Connected, long Dropped);

/// <summary>A part of the overview that waits for a data source.</summary>
internal sealed record PlaceholderView(bool Available, string Message);
