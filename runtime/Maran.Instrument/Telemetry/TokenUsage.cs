using System.ComponentModel;

namespace Maran.Instrument.Telemetry;

/// <summary>
/// The tokens of one model call: what the provider reported (or an estimate), and the model that answered.
/// A struct, so reading it from a response allocates nothing. Input counts every prompt token, cached and
/// cache-write ones included; output counts every generated token, reasoning ones included.
/// </summary>
public readonly struct TokenUsage
{
    /// <summary>Usage a provider reported.</summary>
    /// <param name="inputTokens">Prompt tokens, cached and cache-write ones included.</param>
    /// <param name="outputTokens">Generated tokens, reasoning ones included.</param>
    /// <param name="cachedInputTokens">Prompt tokens read from the provider's cache.</param>
    /// <param name="reasoningTokens">Generated tokens spent on reasoning.</param>
    /// <param name="model">The model that answered, if the response names it.</param>
    /// <param name="cacheWriteTokens">Prompt tokens written to the provider's cache.</param>
    public TokenUsage(long inputTokens, long outputTokens, long cachedInputTokens = 0, long reasoningTokens = 0, string? model = null, long cacheWriteTokens = 0)
        : this(inputTokens, outputTokens, cachedInputTokens, reasoningTokens, cacheWriteTokens, model, reported: true, estimated: false, text: null)
    {
    }

    private TokenUsage(long input, long output, long cached, long reasoning, long cacheWrite, string? model, bool reported, bool estimated, string? text, bool cacheHit = false)
    {
        IsCacheHit = cacheHit;
        InputTokens = Math.Max(0, input);
        OutputTokens = Math.Max(0, output);
        CachedInputTokens = Math.Max(0, cached);
        ReasoningTokens = Math.Max(0, reasoning);
        CacheWriteTokens = Math.Max(0, cacheWrite);
        Model = string.IsNullOrEmpty(model) ? null : model;
        IsReported = reported;
        IsEstimated = estimated;
        Text = text;
    }

    /// <summary>Prompt tokens, cached and cache-write ones included.</summary>
    public long InputTokens { get; }

    /// <summary>Generated tokens, reasoning ones included.</summary>
    public long OutputTokens { get; }

    /// <summary>Prompt tokens read from the provider's cache (part of <see cref="InputTokens"/>).</summary>
    public long CachedInputTokens { get; }

    /// <summary>Prompt tokens written to the provider's cache (part of <see cref="InputTokens"/>).</summary>
    public long CacheWriteTokens { get; }

    /// <summary>Generated tokens spent on reasoning (part of <see cref="OutputTokens"/>).</summary>
    public long ReasoningTokens { get; }

    /// <summary>Input plus output tokens.</summary>
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>The model that answered, when known.</summary>
    public string? Model { get; }

    /// <summary>Whether the counts came from the provider (false: the response carried no usage).</summary>
    public bool IsReported { get; }

    /// <summary>Whether the counts were estimated with a tokenizer rather than reported.</summary>
    public bool IsEstimated { get; }

    /// <summary>
    /// Whether the response was served from a response cache in the application (for example Microsoft.Extensions.AI's
    /// caching middleware) rather than by the provider: its tokens are counted, never billed.
    /// </summary>
    public bool IsCacheHit { get; }

    /// <summary>The response text, kept only for estimation when the response carried no usage.</summary>
    internal string? Text { get; }

    /// <summary>A response that carried no usage: the model, and its text when estimation asked for it.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static TokenUsage Unreported(string? model, string? text = null) => new(0, 0, 0, 0, 0, model, reported: false, estimated: false, text);

    /// <summary>Reads the usage of a value that implements <see cref="ITokenUsage"/>; what generated code passes for such types.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static TokenUsage Read<T>(T value, bool includeText)
        where T : ITokenUsage =>
        value is null
            ? default
            : new TokenUsage(value.InputTokens, value.OutputTokens, value.CachedInputTokens, value.ReasoningTokens, value.ModelId, value.CacheWriteTokens);

    /// <summary>An estimate of <paramref name="outputTokens"/> generated tokens.</summary>
    internal static TokenUsage Estimated(string? model, long inputTokens, long outputTokens) =>
        new(inputTokens, outputTokens, 0, 0, 0, model, reported: false, estimated: true, text: null);

    /// <summary>This usage, answering to <paramref name="model"/> when it names none.</summary>
    internal TokenUsage OrModel(string? model) =>
        Model is not null || model is null
            ? this
            : new(InputTokens, OutputTokens, CachedInputTokens, ReasoningTokens, CacheWriteTokens, model, IsReported, IsEstimated, Text, IsCacheHit);

    /// <summary>
    /// The usage of a stream so far plus one more item's: counts add up (as Microsoft.Extensions.AI adds streamed
    /// <c>UsageContent</c>) and the latest model wins. Text is not carried; the stream collects it.
    /// </summary>
    internal TokenUsage Plus(in TokenUsage item) =>
        new(
            InputTokens + item.InputTokens,
            OutputTokens + item.OutputTokens,
            CachedInputTokens + item.CachedInputTokens,
            ReasoningTokens + item.ReasoningTokens,
            CacheWriteTokens + item.CacheWriteTokens,
            item.Model ?? Model,
            IsReported || item.IsReported,
            estimated: false,
            text: null,
            cacheHit: IsCacheHit || item.IsCacheHit);

    /// <summary>This usage with the text collected for estimation.</summary>
    internal TokenUsage WithText(string? text) =>
        new(InputTokens, OutputTokens, CachedInputTokens, ReasoningTokens, CacheWriteTokens, Model, IsReported, IsEstimated, text, IsCacheHit);

    /// <summary>This usage, marked as served from the application's response cache: counted, not billed.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public TokenUsage AsCacheHit() =>
        new(InputTokens, OutputTokens, CachedInputTokens, ReasoningTokens, CacheWriteTokens, Model, IsReported, IsEstimated, Text, cacheHit: true);
}

/// <summary>Reads the token usage of a monitored method's result; the generator emits one for each usage-bearing return type.</summary>
/// <param name="value">The result (for a stream, one item).</param>
/// <param name="includeText">Whether to keep the response text for estimation when the response reports no usage.</param>
public delegate TokenUsage TokenUsageReader<in T>(T value, bool includeText);
