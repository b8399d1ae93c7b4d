using Maran.Instrument;
using Maran.Instrument.Hosting;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Sends Maran.Instrument's traces, metrics and logs to an OpenTelemetry collector.</summary>
public static class MaranOtlpExporterExtensions
{
    private const string AspNetCoreSource = "Microsoft.AspNetCore";

    /// <summary>
    /// Sends the three signals over OTLP with the OpenTelemetry SDK's own exporter: the spans of monitored calls (the
    /// <c>Maran.Instrument</c> activity source, with ASP.NET Core's request spans as their parents), the <c>Maran.Instrument</c> meter (GenAI histograms with the spec's
    /// buckets, live operation figures) and the application's <see cref="Logging.ILogger"/> logs, the monitoring's own
    /// included; every one carries the <see cref="AdvancedMonitoringSystem.Identity"/> as resource attributes. Where
    /// to is the SDK's to read: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (<c>http://localhost:4317</c> by default),
    /// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> (<c>grpc</c> or <c>http/protobuf</c>), headers, timeouts and the per-signal
    /// variables, from the environment or the app's configuration.
    /// </summary>
    /// <param name="builder">The builder <c>AddMaranMonitoring()</c> returned.</param>
    /// <returns>The same builder.</returns>
    public static IMaranBuilder AddOtlpExporter(this IMaranBuilder builder) => builder.AddOtlpExporter(configure: null);

    /// <summary>
    /// Sends the three signals over OTLP as <see cref="AddOtlpExporter(IMaranBuilder)"/> does, then lets
    /// <paramref name="configure"/> change each signal's exporter options after the SDK has read the environment. An
    /// <see cref="OtlpExporterOptions.Endpoint"/> set here is used as given for every signal: with
    /// <see cref="OtlpExportProtocol.HttpProtobuf"/> the SDK adds <c>/v1/traces</c> and the like only to an endpoint read
    /// from <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.
    /// </summary>
    /// <param name="builder">The builder <c>AddMaranMonitoring()</c> returned.</param>
    /// <param name="configure">Changes the exporter options of each signal; null changes nothing.</param>
    /// <returns>The same builder.</returns>
    public static IMaranBuilder AddOtlpExporter(this IMaranBuilder builder, Action<OtlpExporterOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Action<OtlpExporterOptions> options = configure ?? (static _ => { });
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(static resource => resource.AddDetector(
                static provider => new MaranResourceDetector(provider.GetRequiredService<AdvancedMonitoringSystem>())))
            // ASP.NET Core's request activity is the parent of the calls a request makes: unsampled, it would drop them.
            .WithTracing(tracing => tracing.AddSource(AspNetCoreSource).AddMaranInstrumentation().AddOtlpExporter(options))
            .WithMetrics(metrics => metrics.AddMaranInstrumentation().AddOtlpExporter(options))
            .WithLogging(logging => logging.AddOtlpExporter(options));
        return builder;
    }
}
