using Maran.Instrument.Configuration;

namespace Maran.Instrument.Alerts;

/// <summary>
/// An alert channel a feature provides: its name, whether the settings configure it, and how to create it.
/// </summary>
/// <param name="Name">The channel's name (<c>email</c>).</param>
/// <param name="IsConfigured">Whether <c>alerts.channels</c> asks for it.</param>
/// <param name="Create">Creates the channel from the settings.</param>
internal sealed record AlertChannelKind(string Name, Func<AlertChannelSettings, bool> IsConfigured, Func<AlertChannelSettings, MonitoringOptions, IAlertChannel> Create);
