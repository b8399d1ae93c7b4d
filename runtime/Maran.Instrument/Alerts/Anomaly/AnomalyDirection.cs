namespace Maran.Instrument.Alerts;

/// <summary>Which side of the expected band an anomaly rule cares about.</summary>
public enum AnomalyDirection
{
    /// <summary>Values above and below what was expected (<c>direction: both</c>, the default).</summary>
    Both,

    /// <summary>Only values above what was expected (<c>direction: above</c>): a latency or cost spike.</summary>
    Above,

    /// <summary>Only values below what was expected (<c>direction: below</c>): a call rate that drops away.</summary>
    Below,
}
