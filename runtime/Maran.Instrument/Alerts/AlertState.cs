namespace Maran.Instrument.Alerts;

/// <summary>Where an alert stands, as in Prometheus: inactive, pending (condition true, waiting out <c>for</c>), firing, resolved.</summary>
public enum AlertState
{
    /// <summary>The condition is false.</summary>
    Inactive,

    /// <summary>The condition is true but has not yet held for the rule's <c>for</c> duration.</summary>
    Pending,

    /// <summary>The condition has held for <c>for</c>; notifications go out.</summary>
    Firing,

    /// <summary>The alert was firing and its condition has been false for <c>keep_firing_for</c>.</summary>
    Resolved,
}
