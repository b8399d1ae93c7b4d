using System.Text.RegularExpressions;

namespace Maran.Instrument;

/// <summary>
/// Finds the price of a model name at a moment: an exact entry beats the longest prefix, which beats the first
/// regular expression; among entries for the same model the latest <see cref="ModelPrice.EffectiveFrom"/> not
/// after the call wins. Entries from the configuration replace the default table's entries for the same model
/// and match. A name such as <c>openai/gpt-4o</c> that matches nothing is tried again without its provider part.
/// </summary>
internal sealed class PriceTable
{
    private readonly List<ModelPrice> _exact = [];
    private readonly List<ModelPrice> _prefix = [];
    private readonly List<(ModelPrice Price, Regex Pattern)> _regex = [];

    public PriceTable(IEnumerable<ModelPrice> configured, bool includeDefaults)
    {
        List<ModelPrice> own = [.. configured];
        var overridden = own.Select(p => (p.Match, p.Model.ToUpperInvariant())).ToHashSet();
        IEnumerable<ModelPrice> defaults = includeDefaults
            ? DefaultPrices.All.Where(p => !overridden.Contains((p.Match, p.Model.ToUpperInvariant())))
            : [];
        foreach (ModelPrice price in own.Concat(defaults))
        {
            switch (price.Match)
            {
                case PriceMatch.Exact:
                    _exact.Add(price);
                    break;
                case PriceMatch.Regex:
                    // An entry that is no valid pattern is left out: validation names it before Start.
                    if (price.Pattern(out _) is { } pattern)
                    {
                        _regex.Add((price, pattern));
                    }

                    break;
                default:
                    _prefix.Add(price);
                    break;
            }
        }
    }

    /// <summary>The price that applies to <paramref name="model"/> for a call at <paramref name="at"/>, or null when none does.</summary>
    public ModelPrice? Find(string? model, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return null;
        }

        ModelPrice? price = FindExactly(model, at);
        int slash = model.LastIndexOf('/');
        if (price is null && slash >= 0 && slash < model.Length - 1)
        {
            price = FindExactly(model[(slash + 1)..], at);
        }

        return price;
    }

    private ModelPrice? FindExactly(string model, DateTimeOffset at)
    {
        ModelPrice? best = Latest(_exact.Where(p => string.Equals(p.Model, model, StringComparison.OrdinalIgnoreCase)), at);
        if (best is not null)
        {
            return best;
        }

        var prefixes = _prefix.Where(p => model.StartsWith(p.Model, StringComparison.OrdinalIgnoreCase)).ToList();
        if (prefixes.Count > 0)
        {
            int longest = prefixes.Max(p => p.Model.Length);
            best = Latest(prefixes.Where(p => p.Model.Length == longest), at);
            if (best is not null)
            {
                return best;
            }
        }

        foreach ((ModelPrice price, Regex pattern) in _regex)
        {
            if (IsEffective(price, at) && Matches(pattern, model))
            {
                return Latest(_regex.Where(r => r.Price.Model == price.Model).Select(r => r.Price), at);
            }
        }

        return null;
    }

    private static ModelPrice? Latest(IEnumerable<ModelPrice> candidates, DateTimeOffset at) =>
        candidates
            .Where(p => IsEffective(p, at))
            .OrderByDescending(p => p.EffectiveFromDate ?? DateTimeOffset.MinValue)
            .ThenBy(p => p.IsDefault)
            .FirstOrDefault();

    private static bool IsEffective(ModelPrice price, DateTimeOffset at) => price.EffectiveFromDate is not { } from || from <= at;

    private static bool Matches(Regex pattern, string model)
    {
        try
        {
            return pattern.IsMatch(model);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
