namespace Maran.Instrument.Generator.Tests;

/// <summary>
/// The types the generator looks up in a compilation's references are kept for a few recent compilations of the whole
/// process, so tests that count those lookups exactly run alone, with no other test's compilations pushing theirs out.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReferenceCacheCollection
{
    public const string Name = "Reference lookups are kept process-wide";
}
