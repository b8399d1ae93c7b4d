using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>
/// One service level objective of <c>alerts.slos</c>: the share of an operation's calls that must be good over a
/// window, and the burn-rate alerts that watch its error budget.
/// </summary>
/// <example>
/// <code>
/// alerts:
///   slos:
///     - name: generate_availability
///       operation: generate
///       objective: 0.995              # 99.5 % of calls succeed
///     - name: generate_latency
///       operation: generate
///       objective: 0.95               # 95 % of calls take under 2 s
///       latency: 2s
///       window: 30d
///       burn_rates:
///         - { burn_rate: 14.4, long_window: 1h, short_window: 5m, severity: critical }
///         - { burn_rate: 6, long_window: 6h, short_window: 30m, severity: warning }
/// </code>
/// </example>
public sealed class SloOptions
{
    /// <summary>The default <see cref="Window"/>: 30 days.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);

    /// <summary>The SLO's name (required, unique): the <c>slo</c> label of its alerts and gauges.</summary>
    [ConfigurationKeyName("name")]
    public string? Name { get; set; }

    /// <summary>The operation whose calls count (required).</summary>
    [ConfigurationKeyName("operation")]
    public string? Operation { get; set; }

    /// <summary>Only this component's operation of that name; every component when unset.</summary>
    [ConfigurationKeyName("component")]
    public string? Component { get; set; }

    /// <summary>The share of calls that must be good, above 0 and below 1 (required): 0.995 is 99.5 %.</summary>
    [ConfigurationKeyName("objective")]
    public double? Objective { get; set; }

    /// <summary>
    /// Unset: a good call is one that succeeded (cancelled calls do not count). Set: a good call is a timed call that
    /// took at most this long, whatever its outcome.
    /// </summary>
    [ConfigurationKeyName("latency")]
    public TimeSpan? Latency { get; set; }

    /// <summary>The window the objective and the error budget cover (default 30d, from 1h to 400d).</summary>
    [ConfigurationKeyName("window")]
    public TimeSpan Window { get; set; } = DefaultWindow;

    /// <summary>The burn-rate alerts; when empty, the SRE workbook's two: 14.4x over 1h and 5m (critical), 6x over 6h and 30m (warning).</summary>
    [ConfigurationKeyName("burn_rates")]
    public List<BurnRateOptions> BurnRates { get; set; } = [];

    /// <summary>Extra labels of the SLO's alerts.</summary>
    [ConfigurationKeyName("labels")]
    public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Annotations of the SLO's alerts, with <c>{{ $burn_rate }}</c>, <c>{{ $error_budget_remaining }}</c> and the other SLO variables.</summary>
    [ConfigurationKeyName("annotations")]
    public Dictionary<string, string> Annotations { get; set; } = new(StringComparer.Ordinal);
}
