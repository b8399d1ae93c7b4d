using Maran.Instrument.Telemetry;

namespace OpenTelemetry.Trace;

/// <summary>Adds the spans of Maran.Instrument's monitored calls to an OpenTelemetry tracer provider.</summary>
public static class MaranTracerProviderBuilderExtensions
{
    /// <summary>
    /// Records a span per monitored call (the <c>Maran.Instrument</c> activity source), named and attributed with
    /// the GenAI semantic conventions for model operations, so an OTLP exporter sends them to Jaeger or Tempo.
    /// </summary>
    public static TracerProviderBuilder AddMaranInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(MaranTelemetry.SourceName);
    }
}
