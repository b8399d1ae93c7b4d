namespace Maran.Instrument.Dashboard;

/// <summary>
/// What a source read for one tick: the snapshot, its operations as table rows, the samples the trends are computed
/// from, and for a fleet the instances and, per instance, a reading of that instance alone.
/// </summary>
internal sealed record DashboardReading(DashboardData Data, IReadOnlyList<OperationRow> Rows, IReadOnlyList<OperationSample> Samples)
{
    /// <summary>The instances and their rates; null for a single process.</summary>
    public FleetView? Fleet { get; init; }

    /// <summary>
    /// The newest point of the trend charts, for a source that reads the trends itself (a fleet's live rates and
    /// percentiles); null for a single process, whose hub computes it from <see cref="Samples"/>.
    /// </summary>
    public TrendPoint? Point { get; init; }

    /// <summary>A reading of each instance alone, by its <c>instance</c> label; empty for a single process.</summary>
    public IReadOnlyDictionary<string, DashboardReading> ByInstance { get; init; } = new Dictionary<string, DashboardReading>(StringComparer.Ordinal);
}

/// <summary>
/// The fleet's instances and its live rates from Prometheus: calls per second and the error rate over
/// <see cref="WindowSeconds"/>, and the calls and errors in that window, summed over the instances that are up.
/// </summary>
internal sealed record FleetView(
    string Prometheus,
    int WindowSeconds,
    double CallsPerSecond,
    double ErrorRate,
    long CallsInWindow,
    long ErrorsInWindow,
    IReadOnlyList<InstanceView> Instances,
    string? Problem);

/// <summary>
/// One scraped instance: its <c>instance</c> label, whether its last scrape succeeded (<c>up</c>), its identity from
/// <c>target_info</c> when it exported one, and its calls per second, error rate and health score.
/// </summary>
internal sealed record InstanceView(
    string Instance,
    string Job,
    bool Up,
    string? Service,
    string? ServiceInstanceId,
    string? Environment,
    double CallsPerSecond,
    double ErrorRate,
    double? HealthScore);

/// <summary>
/// Who the dashboard shows, in its header: the process's service name, instance id and environment; for a fleet,
/// the Prometheus server it reads (<see cref="Source"/> is <c>prometheus</c>).
/// </summary>
internal sealed record IdentityView(string Source, string? Service, string? Instance, string? Environment, string? Prometheus);

/// <summary>A section whose data this source does not hold: <see cref="Message"/> says where to look instead.</summary>
internal sealed record ElsewhereView(bool Available, string Message);
