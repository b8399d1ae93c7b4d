using Maran.Instrument.Telemetry;

namespace OpenTelemetry.Metrics;

/// <summary>Adds Maran.Instrument's metrics to an OpenTelemetry meter provider.</summary>
public static class MaranMeterProviderBuilderExtensions
{
    // The GenAI semantic conventions' bucket advice, applied as views so that every target framework gets it
    // (.NET 9 and later carry it on the instruments themselves too).
    private static readonly double[] s_durationBuckets =
        [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    private static readonly double[] s_tokenBuckets =
        [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    private static readonly string[] s_durationHistograms =
    [
        "gen_ai.client.operation.duration",
        "gen_ai.client.operation.time_to_first_chunk",
        "gen_ai.client.operation.time_per_output_chunk",
        "gen_ai.invoke_agent.duration",
        "gen_ai.execute_tool.duration",
    ];

    /// <summary>
    /// Collects the <c>Maran.Instrument</c> meter: the live operation figures (<c>maran.operation.calls</c>,
    /// <c>maran.operation.in_flight</c>, ...) and the GenAI histograms of the semantic conventions
    /// <see cref="MaranTelemetry.SemanticConventionsVersion"/> (<c>gen_ai.client.operation.duration</c>,
    /// <c>gen_ai.client.token.usage</c>, <c>gen_ai.client.operation.time_to_first_chunk</c>,
    /// <c>gen_ai.client.operation.time_per_output_chunk</c>, <c>gen_ai.invoke_agent.duration</c>,
    /// <c>gen_ai.execute_tool.duration</c>) with the spec's bucket boundaries.
    /// </summary>
    public static MeterProviderBuilder AddMaranInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddMeter(MaranTelemetry.SourceName);
        foreach (string name in s_durationHistograms)
        {
            builder.AddView(name, new ExplicitBucketHistogramConfiguration { Boundaries = s_durationBuckets });
        }

        return builder.AddView("gen_ai.client.token.usage", new ExplicitBucketHistogramConfiguration { Boundaries = s_tokenBuckets });
    }
}
