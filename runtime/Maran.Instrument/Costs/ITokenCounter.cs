namespace Maran.Instrument.Costs;

/// <summary>
/// Counts the tokens of a response that reported none, for <c>costs.estimate_tokens</c>. The core has no
/// tokenizer; Maran.Instrument.Tokenizers provides one. Called on the cost tracker's loop only.
/// </summary>
internal interface ITokenCounter
{
    /// <summary>The number of tokens of <paramref name="text"/> for <paramref name="model"/>, or null when it cannot be counted.</summary>
    int? Count(string? model, string text);
}
