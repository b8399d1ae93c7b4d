using Maran.Instrument.Costs;
using Maran.Instrument.Errors;
using Maran.Instrument.Health;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// Where the dashboard's numbers come from: this process's monitoring system (<see cref="ProcessSource"/>) or a
/// Prometheus server over every instance it scrapes (<see cref="PrometheusSource"/>). The hub reads one
/// <see cref="DashboardReading"/> per tick; the sections read what a tick does not carry (another window of hours,
/// the health history) through the same source, so both paths share the sections' code.
/// </summary>
/// <remarks>A source never throws into the hub for a server that does not answer: a reading then says so.</remarks>
internal interface IDashboardSource
{
    /// <summary>Who the dashboard shows, for its header.</summary>
    IdentityView Identity { get; }

    /// <summary>Whether the source keeps taking health samples (the monitor samples, or Prometheus scrapes).</summary>
    bool HealthSampling { get; }

    /// <summary>
    /// One reading of everything a frame shows, at <paramref name="at"/> when the source can read the past (Prometheus
    /// evaluates its queries at that moment), else now.
    /// </summary>
    DashboardReading Read(DateTimeOffset? at);

    /// <summary>
    /// Where to look for the data of <paramref name="part"/> (a section's name, or a part of one such as
    /// <see cref="ErrorsSection.GroupsPart"/>) when this source does not hold it; null when it does.
    /// </summary>
    string? Elsewhere(string part, DashboardFrame frame);

    /// <summary>The health samples kept, oldest first, of the frame's instance (every instance when none is chosen).</summary>
    IReadOnlyList<HealthStatus> HealthHistory(DashboardFrame frame);

    /// <summary>
    /// Every operation's trend together over the trend window (<c>dashboard.trend_minutes</c>), of the frame's instance
    /// (every instance when none is chosen): the process's own recorder, or a fleet's past read from Prometheus.
    /// </summary>
    Task<TrendSeries> TrendsAsync(DashboardFrame frame);

    /// <summary>One operation's trend, aligned with <see cref="TrendsAsync"/>; null when the source knows no operation <paramref name="id"/>.</summary>
    Task<OperationTrendSeries?> OperationTrendsAsync(DashboardFrame frame, int id);

    /// <summary>Errors over the last <paramref name="hours"/> clock hours.</summary>
    ErrorAnalytics ErrorAnalytics(DashboardFrame frame, int hours);

    /// <summary>The error groups seen in the last <paramref name="hours"/> clock hours.</summary>
    IReadOnlyList<ErrorGroup> ErrorGroups(DashboardFrame frame, int hours);

    /// <summary>Costs over the last <paramref name="hours"/> clock hours.</summary>
    CostSummary CostSummary(DashboardFrame frame, int hours);

    /// <summary>Costs since the source started counting.</summary>
    CostTotals CostTotals(DashboardFrame frame);

    /// <summary>Model calls without a price in the last <paramref name="hours"/>, by component and operation.</summary>
    IReadOnlyDictionary<(string Component, string Operation), long> UnpricedCalls(DashboardFrame frame, int hours);
}
