namespace Maran.Instrument.Alerts;

/// <summary>How serious an alert is; a critical alert silences the warning of the same labels.</summary>
public enum AlertSeverity
{
    /// <summary>Worth knowing, nothing to do yet.</summary>
    Info,

    /// <summary>Something needs attention soon.</summary>
    Warning,

    /// <summary>Something needs attention now.</summary>
    Critical,
}
