using System.Diagnostics;
using System.Diagnostics.Metrics;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Telemetry;

/// <summary>
/// The OpenTelemetry GenAI semantic conventions (<see cref="MaranTelemetry.SemanticConventionsVersion"/>) for model,
/// tool and agent calls: span attributes, and the histograms on the <c>Maran.Instrument</c> meter, each recorded only
/// while a listener has enabled it. Model calls feed <c>gen_ai.client.operation.duration</c>,
/// <c>gen_ai.client.token.usage</c> and, for streams, <c>gen_ai.client.operation.time_to_first_chunk</c> and
/// <c>gen_ai.client.operation.time_per_output_chunk</c>; agent runs <c>gen_ai.invoke_agent.duration</c>; tool
/// executions <c>gen_ai.execute_tool.duration</c>.
/// </summary>
internal static class GenAITelemetry
{
    /// <summary>The spec's bucket advice for the duration histograms (operation, first chunk, per chunk, agent, tool), in seconds.</summary>
    internal static readonly double[] DurationBuckets =
        [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    /// <summary>The spec's bucket advice for <c>gen_ai.client.token.usage</c>, in tokens.</summary>
    internal static readonly double[] TokenBuckets =
        [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    internal const string DurationName = "gen_ai.client.operation.duration";
    internal const string TokenUsageName = "gen_ai.client.token.usage";
    internal const string TimeToFirstChunkName = "gen_ai.client.operation.time_to_first_chunk";
    internal const string TimePerOutputChunkName = "gen_ai.client.operation.time_per_output_chunk";
    internal const string AgentDurationName = "gen_ai.invoke_agent.duration";
    internal const string ToolDurationName = "gen_ai.execute_tool.duration";

    /// <summary>The names of the duration histograms, which share <see cref="DurationBuckets"/>.</summary>
    internal static readonly string[] DurationHistograms = [DurationName, TimeToFirstChunkName, TimePerOutputChunkName, AgentDurationName, ToolDurationName];

    private static readonly Histogram<double> s_duration = CreateHistogram<double>(
        DurationName, "s", "Duration of GenAI client operations (model calls).", DurationBuckets);

    private static readonly Histogram<long> s_tokens = CreateHistogram<long>(
        TokenUsageName, "{token}", "Tokens used by GenAI client operations, by gen_ai.token.type (input, output).", TokenBuckets);

    private static readonly Histogram<double> s_timeToFirstChunk = CreateHistogram<double>(
        TimeToFirstChunkName, "s", "Time from a streaming model call's request to its first chunk.", DurationBuckets);

    private static readonly Histogram<double> s_timePerOutputChunk = CreateHistogram<double>(
        TimePerOutputChunkName, "s", "Time between the end of one chunk of a streaming model call and the end of the next.", DurationBuckets);

    private static readonly Histogram<double> s_agentDuration = CreateHistogram<double>(
        AgentDurationName, "s", "Duration of GenAI agent runs (invoke_agent).", DurationBuckets);

    private static readonly Histogram<double> s_toolDuration = CreateHistogram<double>(
        ToolDurationName, "s", "Duration of GenAI tool executions (execute_tool).", DurationBuckets);

    private static readonly object s_gate = new();
    private static GenAIOperationInfo?[] s_infos = [];

    /// <summary>Whether a listener records the model-call duration histogram; read on the timed path, so it is a field check.</summary>
    internal static bool DurationEnabled => s_duration.Enabled;

    /// <summary>Whether a listener records any histogram a call of <paramref name="kind"/> feeds.</summary>
    internal static bool MetricsEnabled(OperationKind kind) => kind switch
    {
        OperationKind.Agent => s_agentDuration.Enabled,
        OperationKind.Tool => s_toolDuration.Enabled,
        _ => s_duration.Enabled || s_timeToFirstChunk.Enabled || s_timePerOutputChunk.Enabled,
    };

    /// <summary>Whether a listener records the time to first chunk or per chunk of streams.</summary>
    internal static bool ChunksEnabled => s_timeToFirstChunk.Enabled || s_timePerOutputChunk.Enabled;

    /// <summary>The GenAI description of an operation, or null for other operations; built once per operation.</summary>
    internal static GenAIOperationInfo? For(OperationRecorder recorder)
    {
        GenAIOperationInfo?[] infos = Volatile.Read(ref s_infos);
        int id = recorder.Id;
        if ((uint)id < (uint)infos.Length && infos[id] is { } known)
        {
            return ReferenceEquals(known, GenAIOperationInfo.NotModel) ? null : known;
        }

        GenAIOperationInfo info = GenAIOperationInfo.Describe(recorder) ?? GenAIOperationInfo.NotModel;
        lock (s_gate)
        {
            GenAIOperationInfo?[] current = s_infos;
            var grown = new GenAIOperationInfo?[Math.Max(id + 1, current.Length)];
            Array.Copy(current, grown, current.Length);
            grown[id] = info;
            Volatile.Write(ref s_infos, grown);
        }

        return ReferenceEquals(info, GenAIOperationInfo.NotModel) ? null : info;
    }

    /// <summary>Records one call's duration on the histogram of its kind, when that histogram is enabled.</summary>
    internal static void RecordDuration(GenAIOperationInfo info, string? requestModel, string? responseModel, long elapsedTicks, OperationStatus status, Exception? exception)
    {
        Histogram<double> histogram = info.Kind switch
        {
            OperationKind.Agent => s_agentDuration,
            OperationKind.Tool => s_toolDuration,
            _ => s_duration,
        };
        if (elapsedTicks < 0 || !histogram.Enabled)
        {
            return;
        }

        TagList tags = Tags(info, requestModel, responseModel);
        if (status == OperationStatus.Error)
        {
            tags.Add("error.type", exception?.GetType().FullName ?? "_OTHER");
        }

        histogram.Record(MonitoringClock.ToSeconds(elapsedTicks), tags);
    }

    /// <summary>Records the time from a stream's request to its first chunk.</summary>
    internal static void RecordFirstChunk(GenAIOperationInfo info, string? requestModel, long ticks)
    {
        if (s_timeToFirstChunk.Enabled)
        {
            s_timeToFirstChunk.Record(MonitoringClock.ToSeconds(ticks), Tags(info, requestModel, null));
        }
    }

    /// <summary>Records the time between two chunks of a stream.</summary>
    internal static void RecordChunk(GenAIOperationInfo info, string? requestModel, long ticks)
    {
        if (s_timePerOutputChunk.Enabled)
        {
            s_timePerOutputChunk.Record(MonitoringClock.ToSeconds(ticks), Tags(info, requestModel, null));
        }
    }

    /// <summary>Puts a call's token usage on its span (<c>gen_ai.usage.*</c>) and the token histogram.</summary>
    internal static void RecordUsage(OperationRecorder recorder, string? requestModel, string? responseModel, in TokenCounts tokens, Activity? activity)
    {
        if (activity is { IsAllDataRequested: true })
        {
            if (responseModel is not null)
            {
                activity.SetTag("gen_ai.response.model", responseModel);
            }

            activity.SetTag("gen_ai.usage.input_tokens", tokens.Input);
            activity.SetTag("gen_ai.usage.output_tokens", tokens.Output);
            if (tokens.CacheRead > 0)
            {
                activity.SetTag("gen_ai.usage.cache_read.input_tokens", tokens.CacheRead);
            }

            if (tokens.CacheCreation > 0)
            {
                activity.SetTag("gen_ai.usage.cache_creation.input_tokens", tokens.CacheCreation);
            }

            if (tokens.Reasoning > 0)
            {
                activity.SetTag("gen_ai.usage.reasoning.output_tokens", tokens.Reasoning);
            }
        }

        if (!s_tokens.Enabled || For(recorder) is not { } info)
        {
            return;
        }

        TagList input = Tags(info, requestModel, responseModel);
        input.Add("gen_ai.token.type", "input");
        s_tokens.Record(tokens.Input, input);
        TagList output = Tags(info, requestModel, responseModel);
        output.Add("gen_ai.token.type", "output");
        s_tokens.Record(tokens.Output, output);
    }

    private static TagList Tags(GenAIOperationInfo info, string? requestModel, string? responseModel)
    {
        var tags = new TagList { { "gen_ai.operation.name", info.OperationName } };
        if (info.Provider is not null)
        {
            tags.Add("gen_ai.provider.name", info.Provider);
        }

        if ((info.RequestModel ?? requestModel) is { } model)
        {
            tags.Add("gen_ai.request.model", model);
        }

        if (responseModel is not null)
        {
            tags.Add("gen_ai.response.model", responseModel);
        }

        if (info.NameAttribute is not null)
        {
            tags.Add(info.NameAttribute, info.Name);
        }

        return tags;
    }

    private static Histogram<T> CreateHistogram<T>(string name, string unit, string description, double[] buckets)
        where T : struct
    {
#if NET9_0_OR_GREATER
        var advice = new InstrumentAdvice<T> { HistogramBucketBoundaries = [.. buckets.Select(b => (T)Convert.ChangeType(b, typeof(T), System.Globalization.CultureInfo.InvariantCulture))] };
        return MaranTelemetry.Meter.CreateHistogram(name, unit, description, tags: null, advice);
#else
        _ = buckets;
        return MaranTelemetry.Meter.CreateHistogram<T>(name, unit, description);
#endif
    }

    /// <summary>
    /// The span Microsoft.Extensions.AI's function invocation started for the tool <paramref name="recorder"/> runs, if any:
    /// it starts its own <c>execute_tool</c> span for each tool (with the tool call's id), so the tool's own span would
    /// report the execution twice, and captured content goes on that one.
    /// </summary>
    internal static Activity? InvokerToolSpan(OperationRecorder recorder) =>
        recorder.Kind == OperationKind.Tool
        && Activity.Current is { } current
        && current.GetTagItem("maran.operation") is null
        && current.GetTagItem("gen_ai.operation.name") is "execute_tool"
        && string.Equals(current.GetTagItem("gen_ai.tool.name") as string, recorder.Name, StringComparison.Ordinal)
            ? current
            : null;
}

/// <summary>The token counts of one model call, as the GenAI conventions name them.</summary>
/// <param name="Input">Prompt tokens, cached ones included (<c>gen_ai.usage.input_tokens</c>).</param>
/// <param name="Output">Generated tokens, reasoning ones included (<c>gen_ai.usage.output_tokens</c>).</param>
/// <param name="CacheRead">Prompt tokens read from the provider's cache (<c>gen_ai.usage.cache_read.input_tokens</c>).</param>
/// <param name="CacheCreation">Prompt tokens written to the provider's cache (<c>gen_ai.usage.cache_creation.input_tokens</c>).</param>
/// <param name="Reasoning">Generated tokens spent on reasoning (<c>gen_ai.usage.reasoning.output_tokens</c>).</param>
internal readonly record struct TokenCounts(long Input, long Output, long CacheRead, long CacheCreation, long Reasoning);
