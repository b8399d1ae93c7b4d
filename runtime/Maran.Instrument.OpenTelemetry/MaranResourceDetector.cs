using Maran.Instrument;
using Maran.Instrument.Export;

namespace OpenTelemetry.Resources;

/// <summary>
/// The monitoring system's <see cref="ServiceIdentity"/> as resource attributes (<c>service.name</c>,
/// <c>service.instance.id</c>, <c>deployment.environment</c>), so spans, metrics and logs name the process they came from
/// as <c>/metrics</c> and the log lines do. The identity always resolves (its last step is a default), so this never throws.
/// </summary>
internal sealed class MaranResourceDetector(AdvancedMonitoringSystem system) : IResourceDetector
{
    public Resource Detect() =>
        new(system.Identity.ResourceAttributes.Select(static a => new KeyValuePair<string, object>(a.Key, a.Value)));
}
