using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Maran.Instrument.Costs;

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
    private readonly ConcurrentDictionary<string, Resolution> _resolved = new(StringComparer.Ordinal);

    /// <summary>Most model names whose candidates are remembered; names past it are resolved on each call.</summary>
    internal const int MaxRemembered = 4096;

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
    /// <remarks>
    /// A model's candidate entries are gathered once and remembered (up to <see cref="MaxRemembered"/> names), so the
    /// lookup that prices every call allocates nothing; only the moment of the call is weighed each time.
    /// </remarks>
    public ModelPrice? Find(string? model, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return null;
        }

        if (!_resolved.TryGetValue(model, out Resolution? resolution))
        {
            resolution = Resolve(model);
            if (_resolved.Count < MaxRemembered)
            {
                _resolved.TryAdd(model, resolution);
            }
        }

        return resolution.Own.Find(at) ?? resolution.WithoutProvider?.Find(at);
    }

    private Resolution Resolve(string model)
    {
        int slash = model.LastIndexOf('/');
        return new Resolution(CandidatesOf(model), slash >= 0 && slash < model.Length - 1 ? CandidatesOf(model[(slash + 1)..]) : null);
    }

    // Every entry that could price model, in the order Find weighs them: exact entries, then those of the longest
    // matching prefix, then each matching pattern with the entries of its model; within a tier, latest first.
    private Candidates CandidatesOf(string model)
    {
        Dated[] exact = Ordered(_exact.Where(p => string.Equals(p.Model, model, StringComparison.OrdinalIgnoreCase)));
        var prefixes = _prefix.Where(p => model.StartsWith(p.Model, StringComparison.OrdinalIgnoreCase)).ToList();
        int longest = prefixes.Count > 0 ? prefixes.Max(p => p.Model.Length) : 0;
        Dated[] prefix = Ordered(prefixes.Where(p => p.Model.Length == longest));
        var patterns = new List<(Dated, Dated[])>();
        foreach ((ModelPrice price, Regex pattern) in _regex)
        {
            if (Matches(pattern, model))
            {
                patterns.Add((new Dated(price, price.EffectiveFromDate ?? DateTimeOffset.MinValue), Ordered(_regex.Where(r => r.Price.Model == price.Model).Select(r => r.Price))));
            }
        }

        return new Candidates(exact, prefix, [.. patterns]);
    }

    private static Dated[] Ordered(IEnumerable<ModelPrice> candidates) =>
        [.. candidates
            .Select(p => new Dated(p, p.EffectiveFromDate ?? DateTimeOffset.MinValue))
            .OrderByDescending(d => d.From)
            .ThenBy(d => d.Price.IsDefault)];

    private static ModelPrice? Latest(Dated[] ordered, DateTimeOffset at)
    {
        foreach (Dated candidate in ordered)
        {
            if (candidate.From <= at)
            {
                return candidate.Price;
            }
        }

        return null;
    }

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

    private sealed record Resolution(Candidates Own, Candidates? WithoutProvider);

    // A price with the day it takes effect (MinValue: always), parsed once.
    private readonly record struct Dated(ModelPrice Price, DateTimeOffset From);

    private sealed record Candidates(Dated[] Exact, Dated[] Prefix, (Dated Pattern, Dated[] SameModel)[] Patterns)
    {
        public ModelPrice? Find(DateTimeOffset at)
        {
            if ((Latest(Exact, at) ?? Latest(Prefix, at)) is { } price)
            {
                return price;
            }

            foreach ((Dated pattern, Dated[] sameModel) in Patterns)
            {
                if (pattern.From <= at)
                {
                    return Latest(sameModel, at);
                }
            }

            return null;
        }
    }
}
