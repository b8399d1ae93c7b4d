using Microsoft.CodeAnalysis;

namespace Maran.Instrument.Generator.Parsing;

/// <summary>The generator's known symbols: an IDE edit makes a new compilation, and the lookups are not repeated for it.</summary>
internal sealed partial class KnownSymbols
{
    private static readonly ReferenceCache<KnownSymbols?> s_cache = new(
        Resolve,
        static (known, assembly) => known is not null && known.HoldsSymbolOf(assembly));

    /// <summary>
    /// The known symbols of <paramref name="compilation"/>, or null when it does not reference Maran.Instrument: those
    /// of an earlier compilation with the same references and declarations when they all come from references.
    /// </summary>
    public static KnownSymbols? For(Compilation compilation) => s_cache.For(compilation);
}
