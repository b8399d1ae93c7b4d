using Maran.Instrument;

namespace OpenTelemetry.Resources;

/// <summary>Adds Maran.Instrument's service identity to an OpenTelemetry resource.</summary>
public static class MaranResourceBuilderExtensions
{
    /// <summary>
    /// Adds the <see cref="AdvancedMonitoringSystem.Identity"/> of <paramref name="system"/> (the
    /// <see cref="AdvancedMonitoringSystem.Default"/> when null) as <c>service.name</c>, <c>service.instance.id</c> and
    /// <c>deployment.environment</c>: the same names <c>/metrics</c> (<c>target_info</c>) and the log lines carry.
    /// Added after the SDK's own detectors, it takes their place for these three attributes; it resolves them from the
    /// same <c>OTEL_SERVICE_NAME</c> and <c>OTEL_RESOURCE_ATTRIBUTES</c> first.
    /// </summary>
    /// <param name="builder">The resource builder.</param>
    /// <param name="system">The monitoring system whose identity is added; the process default when null.</param>
    public static ResourceBuilder AddMaranIdentity(this ResourceBuilder builder, AdvancedMonitoringSystem? system = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddDetector(new MaranResourceDetector(system ?? AdvancedMonitoringSystem.Default));
    }
}
