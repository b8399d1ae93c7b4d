using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Maran.Instrument.Telemetry;

/// <summary>
/// The <see cref="ActivitySource"/> and <see cref="Meter"/> through which monitored calls reach OpenTelemetry,
/// both named <c>Maran.Instrument</c>. A span is started only when a listener samples this source.
/// </summary>
public static class MaranTelemetry
{
    /// <summary>The name of the activity source and the meter: <c>Maran.Instrument</c>.</summary>
    public const string SourceName = "Maran.Instrument";

    /// <summary>
    /// The version of the OpenTelemetry semantic conventions (GenAI, status Development) the spans and metrics follow:
    /// 1.41.0, the version Microsoft.Extensions.AI 10.11's <c>OpenTelemetryChatClient</c> follows too.
    /// </summary>
    public const string SemanticConventionsVersion = "1.41.0";

    /// <summary>The schema URL of <see cref="SemanticConventionsVersion"/>, carried by the activity source and the meter (.NET 9 and later).</summary>
    public const string SchemaUrl = "https://opentelemetry.io/schemas/" + SemanticConventionsVersion;

    /// <summary>The version of this library, carried by the activity source and the meter.</summary>
    public static readonly string Version =
        typeof(MaranTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
        ?? typeof(MaranTelemetry).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";

    /// <summary>The source of the spans of monitored calls.</summary>
#if NET9_0_OR_GREATER
    public static readonly ActivitySource ActivitySource = new(new ActivitySourceOptions(SourceName) { Version = Version, TelemetrySchemaUrl = SchemaUrl });
#else
    public static readonly ActivitySource ActivitySource = new(SourceName, Version);
#endif

    /// <summary>
    /// The meter of the toolkit's instruments: observable ones for the live figures (<c>maran.operation.calls</c>,
    /// <c>maran.operation.errors</c>, <c>maran.operation.in_flight</c>, <c>maran.tokens</c>, ...) and the GenAI
    /// histograms (<c>gen_ai.client.operation.duration</c>, <c>gen_ai.client.token.usage</c>,
    /// <c>gen_ai.client.operation.time_to_first_chunk</c>, <c>gen_ai.client.operation.time_per_output_chunk</c>,
    /// <c>gen_ai.invoke_agent.duration</c>, <c>gen_ai.execute_tool.duration</c>).
    /// </summary>
#if NET9_0_OR_GREATER
    public static readonly Meter Meter = new(new MeterOptions(SourceName) { Version = Version, TelemetrySchemaUrl = SchemaUrl });
#else
    public static readonly Meter Meter = new(SourceName, Version);
#endif

    /// <summary>The observable instruments, registered with the meter so any listener finds them.</summary>
    internal static readonly IReadOnlyList<System.Diagnostics.Metrics.Instrument> Live = LiveInstruments.Create(Meter);
}
