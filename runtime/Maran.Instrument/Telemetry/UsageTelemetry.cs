using System.Diagnostics;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Telemetry;

/// <summary>
/// Where the tokens of a monitored model call enter the exporters: counted for <c>tokens_total</c> and
/// <c>maran.tokens</c>, put on the call's span (<c>gen_ai.usage.*</c>, <c>gen_ai.response.model</c>) and on the
/// <c>gen_ai.client.token.usage</c> histogram. Called by whatever reads usage from a response (the cost
/// tracker's usage path); never throws.
/// </summary>
internal static class UsageTelemetry
{
    /// <summary>Records the tokens one call of <paramref name="recorder"/>'s operation used.</summary>
    /// <param name="recorder">The operation that made the call.</param>
    /// <param name="usage">The usage the response reported.</param>
    /// <param name="activity">The call's span, if any: it takes the <c>gen_ai.usage.*</c> attributes.</param>
    /// <param name="requestModel">The model the call asked for, when known only at run time (the client's default model).</param>
    /// <param name="reportedByPipeline">
    /// Whether the client's own OpenTelemetry pipeline reports the call: then nothing goes on the GenAI histogram (the pipeline's does).
    /// </param>
    internal static void Record(OperationRecorder recorder, in TokenUsage usage, Activity? activity = null, string? requestModel = null, bool reportedByPipeline = false)
    {
        try
        {
            TokenTally.Process.Add(usage.Model ?? recorder.Model, usage.InputTokens, usage.OutputTokens, usage.CachedInputTokens, usage.ReasoningTokens);
            if (reportedByPipeline)
            {
                return;
            }

            var counts = new TokenCounts(usage.InputTokens, usage.OutputTokens, usage.CachedInputTokens, usage.CacheWriteTokens, usage.ReasoningTokens);
            GenAITelemetry.RecordUsage(recorder, requestModel, usage.Model, counts, activity);
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("token usage", ex);
        }
    }
}
