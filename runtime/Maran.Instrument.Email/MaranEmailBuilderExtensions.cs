using Maran.Instrument;
using Maran.Instrument.Configuration;
using Maran.Instrument.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Sends the host's alert notifications by e-mail.</summary>
public static class MaranEmailBuilderExtensions
{
    /// <summary>
    /// Builds the host's system with the e-mail alert channel (<see cref="EmailFeature"/>): notifications go over SMTP
    /// once <c>alerts.channels.email.host</c> is set; without a host the channel stays off.
    /// </summary>
    /// <param name="builder">The builder <c>AddMaranMonitoring()</c> returned.</param>
    /// <returns>The same builder.</returns>
    public static IMaranBuilder AddEmail(this IMaranBuilder builder) => builder.AddEmail(configure: null);

    /// <summary>
    /// Adds the e-mail alert channel as <see cref="AddEmail(IMaranBuilder)"/> does, then lets <paramref name="configure"/>
    /// change the <c>alerts.channels.email:</c> settings after the configuration is read.
    /// </summary>
    /// <param name="builder">The builder <c>AddMaranMonitoring()</c> returned.</param>
    /// <param name="configure">Changes the <c>alerts.channels.email:</c> settings; null changes nothing.</param>
    /// <returns>The same builder.</returns>
    public static IMaranBuilder AddEmail(this IMaranBuilder builder, Action<EmailChannelSettings>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddFeature(new EmailFeature());
        return configure is null ? builder : builder.ConfigureOptions(options => configure(options.Alerts.Channels.Email));
    }
}
