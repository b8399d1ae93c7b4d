using Maran.Instrument.Anomaly;

namespace Maran.Instrument.Benchmarks.Nab;

/// <summary>What a <see cref="NabRunner"/> run processed.</summary>
/// <param name="Files">Data files run, each as a fresh stream.</param>
/// <param name="Points">Points observed over all files.</param>
/// <param name="DetectorTime">Time spent inside <see cref="AnomalyDetector.Observe"/>, reading and writing excluded.</param>
public sealed record NabRun(int Files, long Points, TimeSpan DetectorTime)
{
    /// <summary>Nanoseconds per observed point.</summary>
    public double NanosecondsPerPoint => Points == 0 ? 0 : DetectorTime.TotalNanoseconds / Points;
}
