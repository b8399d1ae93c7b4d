using System.Diagnostics;

namespace Maran.Instrument;

/// <summary>
/// The tokens one monitored model call used, as the token extraction reads them from its response; handed to
/// <see cref="OperationEvents.TokenUsage"/>.
/// </summary>
/// <param name="Recorder">The operation that made the call.</param>
/// <param name="ResponseModel">The model the response names, or null to fall back to the attribute's <see cref="MonitorOperationAttribute.Model"/>.</param>
/// <param name="InputTokens">Prompt tokens, cached ones included.</param>
/// <param name="OutputTokens">Completion tokens, reasoning ones included.</param>
/// <param name="CachedTokens">Prompt tokens served from the provider's cache.</param>
/// <param name="ReasoningTokens">Completion tokens spent on reasoning.</param>
/// <param name="Activity">The call's span, if any (usually <see cref="Activity.Current"/> inside the interceptor).</param>
internal readonly record struct TokenUsage(
    OperationRecorder Recorder,
    string? ResponseModel,
    long InputTokens,
    long OutputTokens,
    long CachedTokens = 0,
    long ReasoningTokens = 0,
    Activity? Activity = null);
