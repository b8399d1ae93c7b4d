namespace Maran.Instrument.Tests.Errors;

/// <summary>
/// A started error tracker hears the failures of every monitored call in the process, so tests that count
/// exactly what their tracker saw run alone, with no other test failing monitored calls at the same time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrackerCollection
{
    public const string Name = "Trackers hear the whole process";
}
