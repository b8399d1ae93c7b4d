using Maran.Instrument.Storage;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// The overview: live totals of every operation, the state of the monitoring itself, the health score and gauges, the
/// active alerts, and a placeholder (never a made-up figure) for each part whose data source is absent or silent.
/// For a fleet the totals are sums over the instances that are up, and every instance is listed.
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
    OverviewHealthView Health,
    OverviewCostView CostToday,
    OverviewAlertsView Alerts,
    IReadOnlyList<SectionInfo> Sections)
{
    /// <summary>A fleet's instances, up or down, from Prometheus; null for a single process.</summary>
    public IReadOnlyList<InstanceView>? Instances { get; init; }

    /// <summary>Why the fleet's source could not be read in full (Prometheus did not answer, a query failed); null when it was.</summary>
    public string? SourceProblem { get; init; }
}

/// <summary>Failures and drops inside the monitoring, in total and by kind (the ten largest).</summary>
internal sealed record InternalView(long Errors, long Dropped, IReadOnlyList<CountView> ErrorKinds, IReadOnlyList<CountView> DroppedQueues);

/// <summary>A named count.</summary>
internal sealed record CountView(string Name, long Count);

/// <summary>
/// Live dashboard clients now, how many were dropped for falling behind, and the requests refused for their
/// credentials (missing or wrong) and, past the failure limit, with 429 (<c>maran_dashboard_auth_failures_total</c>).
/// </summary>
internal sealed record ClientsView(int Connected, long Dropped, long AuthFailures = 0, long AuthRateLimited = 0);

/// <summary>
/// Today's (UTC) costs in brief: the priced cost and the tokens, how many models had tokens but no price, and the
/// daily budget's use. Without a running cost tracker, only <see cref="Available"/> (false) and <see cref="Message"/> saying why.
/// </summary>
internal sealed record OverviewCostView(
    bool Available,
    string Message,
    decimal? TodayUsd = null,
    long? TodayTokens = null,
    int? UnpricedModels = null,
    double? DailyBudgetPercent = null,
    decimal? DailyBudgetUsd = null);

/// <summary>
/// The latest health sample in brief: score, status and the CPU, memory, disk and GPU gauges. Without a sample,
/// only <see cref="Available"/> (false) and <see cref="Message"/> saying why.
/// </summary>
internal sealed record OverviewHealthView(
    bool Available,
    string Message,
    DateTimeOffset? Time = null,
    double? Score = null,
    string? Status = null,
    int? Violations = null,
    GaugeView? Cpu = null,
    GaugeView? Memory = null,
    GaugeView? Disk = null,
    GaugeView? Gpu = null);

/// <summary>
/// One gauge: a percentage with its threshold, what it is of (a disk path, the GPUs), bytes used of a total when
/// known; <see cref="Percent"/> is null and <see cref="Note"/> says why when there is no reading.
/// </summary>
internal sealed record GaugeView(double? Percent, double? Threshold, string? Subject, double? Used, double? Total, string? Note);

/// <summary>
/// The alerts now active: how many fire, wait (pending) or are silenced, and the most severe few. Without a running
/// alert engine, only <see cref="Available"/> (false) and <see cref="Message"/> saying why.
/// </summary>
internal sealed record OverviewAlertsView(
    bool Available,
    string Message,
    int? Firing = null,
    int? Pending = null,
    int? Silenced = null,
    IReadOnlyList<AlertBriefView>? Top = null);

/// <summary>An active alert in a line: its rule, severity, state and summary.</summary>
internal sealed record AlertBriefView(string Rule, string Severity, string State, string? Summary, bool Silenced);
