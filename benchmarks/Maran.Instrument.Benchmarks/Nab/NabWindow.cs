namespace Maran.Instrument.Benchmarks.Nab;

/// <summary>One labelled anomaly window, both ends included.</summary>
/// <param name="Start">First timestamp inside the window.</param>
/// <param name="End">Last timestamp inside the window.</param>
public readonly record struct NabWindow(DateTime Start, DateTime End);
