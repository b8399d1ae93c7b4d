using Maran.Instrument.Costs;
using Maran.Instrument.Diagnostics;
using Microsoft.ML.Tokenizers;

namespace Maran.Instrument;

/// <summary>
/// Counts tokens of a response that reported none, with the tiktoken encoding of its model (Microsoft.ML.Tokenizers)
/// or, for models the tokenizer does not know, the configured encoding. The encodings' data ship in separate
/// packages the application adds; without them estimation reports once what to add and stays off.
/// </summary>
internal sealed class TokenEstimator(string fallbackEncoding) : ITokenCounter
{
    private readonly Dictionary<string, Tokenizer?> _byModel = new(StringComparer.OrdinalIgnoreCase);
    private Tokenizer? _fallback;
    private bool _fallbackFailed;

    /// <summary>The number of tokens of <paramref name="text"/> for <paramref name="model"/>, or null when no tokenizer is available.</summary>
    public int? Count(string? model, string text)
    {
        Tokenizer? tokenizer = For(model);
        return tokenizer?.CountTokens(text);
    }

    private Tokenizer? For(string? model)
    {
        if (model is not null)
        {
            if (_byModel.TryGetValue(model, out Tokenizer? known))
            {
                return known ?? Fallback();
            }

            Tokenizer? created = null;
            try
            {
                created = TiktokenTokenizer.CreateForModel(model);
            }
            catch (NotSupportedException)
            {
                // A model the tokenizer has no encoding for: the fallback encoding counts it.
            }
            catch (Exception ex) when (ex is InvalidOperationException or FileNotFoundException or ArgumentException)
            {
                ReportMissingData(ex);
            }

            _byModel[model] = created;
            if (created is not null)
            {
                return created;
            }
        }

        return Fallback();
    }

    private Tokenizer? Fallback()
    {
        if (_fallback is not null || _fallbackFailed)
        {
            return _fallback;
        }

        try
        {
            _fallback = TiktokenTokenizer.CreateForEncoding(fallbackEncoding);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FileNotFoundException or ArgumentException or NotSupportedException)
        {
            _fallbackFailed = true;
            ReportMissingData(ex);
        }

        return _fallback;
    }

    private static void ReportMissingData(Exception ex) =>
        MonitoringDiagnostics.InternalError(
            "token estimation",
            new InvalidOperationException(
                "costs.estimate_tokens is on but no tokenizer data could be loaded; add the package Microsoft.ML.Tokenizers.Data.O200kBase (or Cl100kBase) to the application. " + ex.Message,
                ex));
}
