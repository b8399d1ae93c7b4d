namespace Maran.Instrument.Benchmarks.Nab;

/// <summary>A detector's NAB result under one profile.</summary>
/// <param name="Profile">The profile.</param>
/// <param name="Threshold">The anomaly-score threshold that maximises the raw score (positive infinity: detecting nothing is best).</param>
/// <param name="RawScore">The sum of rewards and costs over all files at that threshold.</param>
/// <param name="Score">The normalised score: 0 for the null detector, 100 for a perfect one.</param>
public sealed record NabProfileScore(NabProfile Profile, double Threshold, double RawScore, double Score);
