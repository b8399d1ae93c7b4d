using Maran.Instrument.Export;
using Serilog.Core;
using Serilog.Events;

namespace Maran.Instrument;

/// <summary>
/// Adds <c>service_name</c>, <c>service_instance_id</c> and, when set, <c>deployment_environment</c> to each event, so
/// the JSON lines of a fleet say which replica wrote them. The properties are built once per identity.
/// </summary>
internal sealed class ServiceIdentityEnricher(Func<ServiceIdentity> identity) : ILogEventEnricher
{
    private (ServiceIdentity Identity, LogEventProperty[] Properties)? _built;

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ServiceIdentity current = identity();
        (ServiceIdentity Identity, LogEventProperty[] Properties)? built = _built;
        if (built is null || !ReferenceEquals(built.Value.Identity, current))
        {
            built = (current, Build(current));
            _built = built;
        }

        foreach (LogEventProperty property in built.Value.Properties)
        {
            logEvent.AddPropertyIfAbsent(property);
        }
    }

    private static LogEventProperty[] Build(ServiceIdentity identity) => identity.Environment is { } environment
        ?
        [
            new("service_name", new ScalarValue(identity.ServiceName)),
            new("service_instance_id", new ScalarValue(identity.InstanceId)),
            new("deployment_environment", new ScalarValue(environment)),
        ]
        :
        [
            new("service_name", new ScalarValue(identity.ServiceName)),
            new("service_instance_id", new ScalarValue(identity.InstanceId)),
        ];
}
