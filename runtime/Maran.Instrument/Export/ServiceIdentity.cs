using System.Collections;
using System.Reflection;
using Maran.Instrument.Configuration;
using Maran.Instrument.Diagnostics;

namespace Maran.Instrument.Export;

/// <summary>
/// Which process the telemetry comes from: the service it belongs to and this instance of it, as the OpenTelemetry
/// resource names them (<c>service.name</c>, <c>service.instance.id</c>, <c>deployment.environment</c>). It is on every
/// span and OTLP metric as resource attributes, on <c>/metrics</c> as <c>target_info</c>, in every JSON log line and in
/// the dashboard's header, so a number from a fleet of replicas says which replica it came from.
/// </summary>
/// <remarks>
/// Resolved once when the monitoring system starts, each part from the first of:
/// <list type="number">
/// <item>the environment, as the OpenTelemetry specification defines it: <c>OTEL_SERVICE_NAME</c>, then
/// <c>OTEL_RESOURCE_ATTRIBUTES</c> (<c>service.name=...,service.instance.id=...,deployment.environment=...</c>,
/// comma-separated, percent-encoded);</item>
/// <item>the configuration: <c>monitoring.service</c>, <c>monitoring.instance</c>, <c>monitoring.environment</c>;</item>
/// <item>the defaults: the entry assembly's name, and the host name and process id (<c>host:1234</c>); no environment.</item>
/// </list>
/// The environment wins over the configuration file, as OpenTelemetry's environment variables override the settings
/// they name: one file is shared by every replica, while each replica's environment (a pod's name) tells them apart.
/// </remarks>
public sealed class ServiceIdentity
{
    /// <summary>The variable that names the service, over any <c>service.name</c> in <see cref="ResourceAttributesVariable"/>.</summary>
    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";

    /// <summary>The variable of resource attributes: <c>key=value</c> pairs separated by commas, keys and values percent-encoded.</summary>
    public const string ResourceAttributesVariable = "OTEL_RESOURCE_ATTRIBUTES";

    /// <summary>Longest name, instance id or environment kept; longer values are cut, as metric labels are.</summary>
    internal const int MaxLength = 256;

    /// <summary>Creates an identity; blank parts are not allowed.</summary>
    /// <param name="serviceName">The service's name (<c>service.name</c>).</param>
    /// <param name="instanceId">This instance's id (<c>service.instance.id</c>), unique among the service's instances.</param>
    /// <param name="environment">The deployment environment (<c>deployment.environment</c>), or null.</param>
    public ServiceIdentity(string serviceName, string instanceId, string? environment = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        ServiceName = Cut(serviceName);
        InstanceId = Cut(instanceId);
        Environment = string.IsNullOrWhiteSpace(environment) ? null : Cut(environment);
    }

    /// <summary>The service's name, the OpenTelemetry <c>service.name</c>.</summary>
    public string ServiceName { get; }

    /// <summary>This instance's id, the OpenTelemetry <c>service.instance.id</c>.</summary>
    public string InstanceId { get; }

    /// <summary>The deployment environment (<c>production</c>, <c>staging</c>), the OpenTelemetry <c>deployment.environment</c>; null when none is set.</summary>
    public string? Environment { get; }

    /// <summary>The resource attributes the identity is exported as, in OpenTelemetry's names; the environment only when set.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ResourceAttributes =>
        Environment is null
            ? [new("service.name", ServiceName), new("service.instance.id", InstanceId)]
            : [new("service.name", ServiceName), new("service.instance.id", InstanceId), new("deployment.environment", Environment)];

    /// <inheritdoc/>
    public override string ToString() => Environment is null ? $"{ServiceName} ({InstanceId})" : $"{ServiceName} ({InstanceId}, {Environment})";

    /// <summary>Resolves the identity from <paramref name="environment"/>, then <paramref name="settings"/>, then the defaults.</summary>
    internal static ServiceIdentity Resolve(MonitoringSettings settings, IDictionary environment)
    {
        IReadOnlyDictionary<string, string> attributes = ParseResourceAttributes(environment[ResourceAttributesVariable] as string);
        string? service = NotBlank(environment[ServiceNameVariable] as string)
            ?? NotBlank(attributes.GetValueOrDefault("service.name"))
            ?? NotBlank(settings.Service)
            ?? DefaultServiceName();
        string? instance = NotBlank(attributes.GetValueOrDefault("service.instance.id"))
            ?? NotBlank(settings.Instance)
            ?? DefaultInstanceId();
        string? deployment = NotBlank(attributes.GetValueOrDefault("deployment.environment.name"))
            ?? NotBlank(attributes.GetValueOrDefault("deployment.environment"))
            ?? NotBlank(settings.Environment);
        return new ServiceIdentity(service, instance, deployment);
    }

    /// <summary>
    /// The pairs of an <c>OTEL_RESOURCE_ATTRIBUTES</c> value: split at commas, each at its first '=', keys and values
    /// trimmed and percent-decoded. A pair without '=' or with an empty key is left out and reported once.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> ParseResourceAttributes(string? value)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(value))
        {
            return attributes;
        }

        foreach (string pair in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string key = equals > 0 ? Decode(pair[..equals].Trim()) : string.Empty;
            if (key.Length == 0)
            {
                MonitoringDiagnostics.Warn($"[maran] {ResourceAttributesVariable} holds '{pair}', which is not key=value: it is left out.");
                continue;
            }

            attributes[key] = Decode(pair[(equals + 1)..].Trim());
        }

        return attributes;
    }

    private static string Decode(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text;
        }
    }

    private static string? NotBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Cut(string value) => value.Length <= MaxLength ? value : value[..MaxLength];

    private static string DefaultServiceName() => Assembly.GetEntryAssembly()?.GetName().Name is { Length: > 0 } name ? name : "unknown_service";

    private static string DefaultInstanceId() => System.Environment.MachineName + ":" + System.Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
