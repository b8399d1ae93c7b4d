using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Maran.Instrument.Benchmarks.Peers;

/// <summary>
/// OpenTelemetry as its getting-started guides set it up: an <see cref="ActivitySource"/> and a
/// <see cref="Histogram{T}"/> of seconds, with the SDK's tracer provider (batch export processor) and meter
/// provider (periodic reader) listening. The exporters discard their batches, so nothing leaves the process and
/// the background export costs next to nothing; the hot path is what an application would run.
/// </summary>
public static class OpenTelemetryPeer
{
    /// <summary>The name of the peer's activity source and meter; the providers listen to nothing else.</summary>
    public const string Name = "Maran.Instrument.Benchmarks.Peer";

    private static readonly object s_gate = new();
    private static TracerProvider? s_tracerProvider;
    private static MeterProvider? s_meterProvider;

    /// <summary>Source of the peer's spans.</summary>
    public static ActivitySource Source { get; } = new(Name);

    /// <summary>The peer's meter.</summary>
    public static Meter Meter { get; } = new(Name);

    /// <summary>Duration of each operation, in seconds, tagged with <c>operation</c> (and <c>error.type</c> on failure).</summary>
    public static Histogram<double> Duration { get; } = Meter.CreateHistogram<double>("peer.operation.duration", unit: "s");

    /// <summary>Starts the tracer and meter providers (once).</summary>
    public static void Start()
    {
        lock (s_gate)
        {
            s_tracerProvider ??= Sdk.CreateTracerProviderBuilder()
                .AddSource(Name)
                .AddProcessor(new BatchActivityExportProcessor(new DiscardingExporter<Activity>()))
                .Build();
            s_meterProvider ??= Sdk.CreateMeterProviderBuilder()
                .AddMeter(Name)
                .AddReader(new PeriodicExportingMetricReader(new DiscardingExporter<Metric>(), exportIntervalMilliseconds: 60_000))
                .Build();
        }
    }

    /// <summary>Stops both providers, flushing what they hold.</summary>
    public static void Stop()
    {
        lock (s_gate)
        {
            s_tracerProvider?.Dispose();
            s_meterProvider?.Dispose();
            s_tracerProvider = null;
            s_meterProvider = null;
        }
    }

    /// <summary>An exporter that drops its batches, standing in for OTLP without a network.</summary>
    private sealed class DiscardingExporter<T> : BaseExporter<T>
        where T : class
    {
        public override ExportResult Export(in Batch<T> batch) => ExportResult.Success;
    }
}
