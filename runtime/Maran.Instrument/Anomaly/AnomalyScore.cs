namespace Maran.Instrument.Anomaly;

/// <summary>
/// What an <see cref="AnomalyDetector"/> makes of one point: how unusual it is and the band it expected the point in.
/// </summary>
/// <param name="Score">Anomaly score in [0, 1]: 0 is ordinary, values near 1 are very unlikely under what the detector has learnt.</param>
/// <param name="Value">The observed value (<see cref="double.NaN"/> for a missing point).</param>
/// <param name="Expected">The value the detector expected at this point.</param>
/// <param name="Lower">Lower edge of the expected band.</param>
/// <param name="Upper">Upper edge of the expected band.</param>
public readonly record struct AnomalyScore(double Score, double Value, double Expected, double Lower, double Upper)
{
    /// <summary>True when the observed value lies above the expected value.</summary>
    public bool IsAbove => Value > Expected;

    /// <summary>True when the observed value lies below the expected value.</summary>
    public bool IsBelow => Value < Expected;
}
