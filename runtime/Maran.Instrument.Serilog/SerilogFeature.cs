using Maran.Instrument;
using Maran.Instrument.Features;

[assembly: MaranFeature(typeof(SerilogFeature))]

namespace Maran.Instrument;

/// <summary>
/// The structured log with Serilog: compact JSON lines to standard error and <c>logs/</c>, and the system's log
/// store, while the system runs; every event carries the trace and monitored operation it was logged in, secrets
/// masked. Registered by referencing the package.
/// </summary>
public sealed class SerilogFeature : MaranFeature
{
    /// <inheritdoc />
    public override string Name => "serilog";

    internal override void Contribute(FeatureContributions contributions) =>
        contributions.AddComponent(static system => new MaranLogging(system.Options, system.Logs, () => system.Identity, () => system.LogCipher), startsFirst: true);
}

/// <summary>The structured log of a monitoring system.</summary>
public static class SerilogMonitoringSystemExtensions
{
    /// <summary>The structured log of <paramref name="system"/>, for code compiled with a C# version before 14 (net8.0's default).</summary>
    /// <param name="system">The monitoring system.</param>
    /// <exception cref="InvalidOperationException">The system was built before the Serilog feature was registered.</exception>
    public static Serilog.ILogger GetLogger(this AdvancedMonitoringSystem system) => system.Logger;

    extension(AdvancedMonitoringSystem system)
    {
        /// <summary>
        /// The structured log (Serilog): compact JSON lines to standard error and <c>logs/</c>, and the log store, while
        /// the system runs; every event carries the trace and monitored operation it was logged in, secrets masked.
        /// Apps route their <c>ILogger</c> logs here with <c>builder.Logging.AddMaranLogging()</c>.
        /// </summary>
        /// <exception cref="InvalidOperationException">The system was built before the Serilog feature was registered.</exception>
        public Serilog.ILogger Logger => system.Logging.Logger;

        internal MaranLogging Logging => system.Component<MaranLogging>()
            ?? throw new InvalidOperationException(
                "This monitoring system was built without the Serilog feature: build it after the feature is registered (referencing Maran.Instrument.Serilog registers it before Main), or call MaranFeatures.Register(new SerilogFeature()) first.");
    }
}
