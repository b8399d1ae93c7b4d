using Maran.Instrument;
using Maran.Instrument.Features;

[assembly: MaranFeature(typeof(TokenizersFeature))]

namespace Maran.Instrument;

/// <summary>
/// Counts the tokens of responses that reported none (<c>costs.estimate_tokens</c>) with Microsoft.ML.Tokenizers.
/// Registered by referencing the package.
/// </summary>
public sealed class TokenizersFeature : MaranFeature
{
    /// <inheritdoc />
    public override string Name => "tokenizers";

    internal override void Contribute(FeatureContributions contributions) =>
        contributions.UseTokenizers(static encoding => new TokenEstimator(encoding));
}
