using Maran.Instrument;
using Maran.Instrument.Alerts;
using Maran.Instrument.Features;

[assembly: MaranFeature(typeof(EmailFeature))]

namespace Maran.Instrument;

/// <summary>
/// Sends alert notifications by e-mail (SMTP with MailKit) when <c>alerts.channels.email.host</c> is set.
/// Registered by referencing the package.
/// </summary>
public sealed class EmailFeature : MaranFeature
{
    /// <inheritdoc />
    public override string Name => "email";

    internal override void Contribute(FeatureContributions contributions) =>
        contributions.AddAlertChannel(new AlertChannelKind(
            "email",
            static channels => !string.IsNullOrWhiteSpace(channels.Email.Host),
            static (channels, _) => EmailAlertChannel.Create(channels.Email)));
}
