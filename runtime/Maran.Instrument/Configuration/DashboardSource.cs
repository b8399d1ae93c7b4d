namespace Maran.Instrument.Configuration;

/// <summary>Where the dashboard reads its numbers; configuration writes it in lower case (<c>process</c>, <c>prometheus</c>), in any case accepted.</summary>
public enum DashboardSource
{
    /// <summary><c>process</c>: this process's own monitoring system, in memory (the default).</summary>
    Process,

    /// <summary>
    /// <c>prometheus</c>: a Prometheus server's HTTP API at <see cref="DashboardSettings.PrometheusUrl"/>, over every
    /// instance it scrapes: the fleet dashboard.
    /// </summary>
    Prometheus,
}
