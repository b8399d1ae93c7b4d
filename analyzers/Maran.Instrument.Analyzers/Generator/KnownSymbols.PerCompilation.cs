using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Maran.Instrument.Generator.Parsing;

/// <summary>The analyzers' known symbols: looked up once per compilation.</summary>
internal sealed partial class KnownSymbols
{
    private static readonly ConditionalWeakTable<Compilation, StrongBox<KnownSymbols?>> s_cache = new();

    /// <summary>The known symbols of <paramref name="compilation"/>, or null when it does not reference Maran.Instrument.</summary>
    public static KnownSymbols? For(Compilation compilation) =>
        s_cache.GetValue(compilation, static c => new StrongBox<KnownSymbols?>(Resolve(c))).Value;
}
