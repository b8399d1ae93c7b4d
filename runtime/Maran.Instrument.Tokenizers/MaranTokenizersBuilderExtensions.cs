using Maran.Instrument;
using Maran.Instrument.Configuration;
using Maran.Instrument.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Counts the tokens of model responses that reported none, in the host.</summary>
public static class MaranTokenizersBuilderExtensions
{
    /// <summary>
    /// Builds the host's system with the tokenizer (<see cref="TokenizersFeature"/>). It counts tokens only where
    /// <c>costs.estimate_tokens</c> is true (off by default), in <c>costs.estimation_encoding</c> (<c>o200k_base</c>).
    /// </summary>
    /// <param name="builder">The builder <c>AddMaranMonitoring()</c> returned.</param>
    /// <returns>The same builder.</returns>
    public static IMaranBuilder AddTokenizers(this IMaranBuilder builder) => builder.AddTokenizers(configure: null);

    /// <summary>
    /// Adds the tokenizer as <see cref="AddTokenizers(IMaranBuilder)"/> does, then lets <paramref name="configure"/>
    /// change the <c>costs:</c> settings after the configuration is read (<c>costs => costs.EstimateTokens = true</c>).
    /// </summary>
    /// <param name="builder">The builder <c>AddMaranMonitoring()</c> returned.</param>
    /// <param name="configure">Changes the <c>costs:</c> settings; null changes nothing.</param>
    /// <returns>The same builder.</returns>
    public static IMaranBuilder AddTokenizers(this IMaranBuilder builder, Action<CostSettings>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddFeature(new TokenizersFeature());
        return configure is null ? builder : builder.ConfigureOptions(options => configure(options.Costs));
    }
}
