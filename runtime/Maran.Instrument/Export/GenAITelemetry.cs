using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Maran.Instrument;

/// <summary>
/// The OpenTelemetry GenAI semantic conventions for model operations: span attributes, and the
/// <c>gen_ai.client.operation.duration</c> and <c>gen_ai.client.token.usage</c> histograms on the
/// <c>Maran.Instrument</c> meter, recorded only while a listener has enabled them.
/// </summary>
internal static class GenAITelemetry
{
    /// <summary>The spec's bucket advice for <c>gen_ai.client.operation.duration</c>, in seconds.</summary>
    internal static readonly double[] DurationBuckets =
        [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    /// <summary>The spec's bucket advice for <c>gen_ai.client.token.usage</c>, in tokens.</summary>
    internal static readonly double[] TokenBuckets =
        [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    internal const string DurationName = "gen_ai.client.operation.duration";
    internal const string TokenUsageName = "gen_ai.client.token.usage";

    private static readonly Histogram<double> s_duration = CreateHistogram<double>(
        DurationName, "s", "Duration of GenAI client operations (monitored model calls).", DurationBuckets);

    private static readonly Histogram<long> s_tokens = CreateHistogram<long>(
        TokenUsageName, "{token}", "Tokens used by GenAI client operations, by gen_ai.token.type (input, output).", TokenBuckets);

    private static readonly object s_gate = new();
    private static GenAIOperationInfo?[] s_infos = [];

    /// <summary>Whether a listener records the duration histogram; read on the timed path, so it is a field check.</summary>
    internal static bool DurationEnabled => s_duration.Enabled;

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

    /// <summary>Names a model call's span and sets its request attributes.</summary>
    internal static void Describe(Activity activity, GenAIOperationInfo info)
    {
        activity.SetTag("gen_ai.operation.name", info.OperationName);
        if (info.Provider is not null)
        {
            activity.SetTag("gen_ai.provider.name", info.Provider);
        }

        if (info.RequestModel is not null)
        {
            activity.SetTag("gen_ai.request.model", info.RequestModel);
        }

        if (info.NameAttribute is not null)
        {
            activity.SetTag(info.NameAttribute, info.Name);
        }
    }

    /// <summary>Records one model call's duration, when the histogram is enabled.</summary>
    internal static void RecordDuration(GenAIOperationInfo info, long elapsedTicks, OperationStatus status, Exception? exception, Activity? activity)
    {
        if (elapsedTicks < 0 || !s_duration.Enabled)
        {
            return;
        }

        TagList tags = Tags(info, activity?.GetTagItem("gen_ai.response.model") as string);
        if (status == OperationStatus.Error)
        {
            tags.Add("error.type", exception?.GetType().FullName ?? "_OTHER");
        }

        s_duration.Record(MonitoringClock.ToSeconds(elapsedTicks), tags);
    }

    /// <summary>Puts a call's token usage on its span and the token histogram.</summary>
    internal static void RecordUsage(OperationRecorder recorder, string? responseModel, long inputTokens, long outputTokens, Activity? activity)
    {
        if (activity is { IsAllDataRequested: true })
        {
            if (responseModel is not null)
            {
                activity.SetTag("gen_ai.response.model", responseModel);
            }

            activity.SetTag("gen_ai.usage.input_tokens", inputTokens);
            activity.SetTag("gen_ai.usage.output_tokens", outputTokens);
        }

        if (!s_tokens.Enabled || For(recorder) is not { } info)
        {
            return;
        }

        TagList input = Tags(info, responseModel);
        input.Add("gen_ai.token.type", "input");
        s_tokens.Record(inputTokens, input);
        TagList output = Tags(info, responseModel);
        output.Add("gen_ai.token.type", "output");
        s_tokens.Record(outputTokens, output);
    }

    private static TagList Tags(GenAIOperationInfo info, string? responseModel)
    {
        var tags = new TagList { { "gen_ai.operation.name", info.OperationName } };
        if (info.Provider is not null)
        {
            tags.Add("gen_ai.provider.name", info.Provider);
        }

        if (info.RequestModel is not null)
        {
            tags.Add("gen_ai.request.model", info.RequestModel);
        }

        if (responseModel is not null)
        {
            tags.Add("gen_ai.response.model", responseModel);
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
}
