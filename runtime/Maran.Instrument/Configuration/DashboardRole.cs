namespace Maran.Instrument.Configuration;

/// <summary>What a dashboard access token may do; configuration writes the role in lower case (<c>viewer</c>, <c>operator</c>), in any case accepted.</summary>
public enum DashboardRole
{
    /// <summary><c>viewer</c>: reads every page, API, live update and <c>/metrics</c>; any change (a POST) is refused with 403.</summary>
    Viewer,

    /// <summary><c>operator</c>: what a viewer may, and every change: silencing and un-silencing alerts, resolving error groups.</summary>
    Operator,
}
