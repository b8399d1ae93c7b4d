using System.Diagnostics;

namespace Maran.Instrument;

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
    /// <param name="responseModel">The model the response names, or null to use the attribute's model.</param>
    /// <param name="inputTokens">Prompt tokens, cached ones included.</param>
    /// <param name="outputTokens">Generated tokens, reasoning ones included.</param>
    /// <param name="cachedTokens">Prompt tokens read from the provider's cache.</param>
    /// <param name="reasoningTokens">Generated tokens spent on reasoning.</param>
    /// <param name="activity">The call's span, if any (inside the interceptor, <see cref="Activity.Current"/>).</param>
    internal static void Record(OperationRecorder recorder, string? responseModel, long inputTokens, long outputTokens,
        long cachedTokens = 0, long reasoningTokens = 0, Activity? activity = null)
    {
        try
        {
            TokenTally.Process.Add(responseModel ?? recorder.Model, inputTokens, outputTokens, cachedTokens, reasoningTokens);
            GenAITelemetry.RecordUsage(recorder, responseModel, inputTokens, outputTokens, activity);
        }
        catch (Exception ex)
        {
            MonitoringDiagnostics.InternalError("token usage", ex);
        }
    }
}
