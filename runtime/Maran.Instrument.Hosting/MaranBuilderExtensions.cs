using Maran.Instrument.Configuration;
using Maran.Instrument.Features;
using Maran.Instrument.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>What feature packages build their <c>AddSqlite()</c>, <c>AddDashboard()</c>... on: a feature and a change to the options, both taken when the system is built.</summary>
public static class MaranBuilderExtensions
{
    /// <summary>
    /// Builds the host's system with <paramref name="feature"/>, beside the features the application registered by
    /// referencing their packages (<see cref="MaranFeatures"/>); a second feature of the same type is ignored. The
    /// feature is not registered in the process, so another host, or the standalone system, does not get it.
    /// </summary>
    /// <param name="builder">The builder <c>AddMaranMonitoring()</c> returned.</param>
    /// <param name="feature">The feature.</param>
    /// <returns>The same builder.</returns>
    public static IMaranBuilder AddFeature(this IMaranBuilder builder, MaranFeature feature)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(feature);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton(feature));
        return builder;
    }

    /// <summary>
    /// Changes the options after every configuration source is read (see <c>AddMaranMonitoring</c>) and before the
    /// system is built, in the order the changes were added; values set here are checked at start too.
    /// </summary>
    /// <param name="builder">The builder <c>AddMaranMonitoring()</c> returned.</param>
    /// <param name="configure">The change.</param>
    /// <returns>The same builder.</returns>
    public static IMaranBuilder ConfigureOptions(this IMaranBuilder builder, Action<MonitoringOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddSingleton(new MonitoringOptionsConfiguration(configure));
        return builder;
    }
}
