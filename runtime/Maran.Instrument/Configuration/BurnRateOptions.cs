using Maran.Instrument.Alerts;
using Microsoft.Extensions.Configuration;

namespace Maran.Instrument.Configuration;

/// <summary>
/// One multi-window burn-rate alert of an SLO: its condition holds while the error budget burns at least
/// <see cref="BurnRate"/> times the sustainable rate over both <see cref="LongWindow"/> and <see cref="ShortWindow"/>
/// (the long window keeps it from firing on a blip, the short one lets it resolve soon after the burn stops).
/// </summary>
public sealed class BurnRateOptions
{
    /// <summary>The burn rate, above 0: the window's error rate divided by the SLO's allowed error rate (1 - objective).</summary>
    [ConfigurationKeyName("burn_rate")]
    public double? BurnRate { get; set; }

    /// <summary>The long window (required, at most the SLO's window).</summary>
    [ConfigurationKeyName("long_window")]
    public TimeSpan? LongWindow { get; set; }

    /// <summary>The short window (required, shorter than the long one; the SRE workbook uses 1/12 of it).</summary>
    [ConfigurationKeyName("short_window")]
    public TimeSpan? ShortWindow { get; set; }

    /// <summary>info, warning (default) or critical.</summary>
    [ConfigurationKeyName("severity")]
    public AlertSeverity Severity { get; set; } = AlertSeverity.Warning;

    /// <summary>How long the condition must hold before the alert fires (default 0: at once, as the SRE workbook's alerts).</summary>
    [ConfigurationKeyName("for")]
    public TimeSpan For { get; set; }
}
