namespace Maran.Instrument;

/// <summary>Parameters of an <see cref="AnomalyDetector"/>.</summary>
internal sealed record AnomalyDetectorSettings
{
    public int WarmUpPoints { get; init; } = 30;
    public double LevelAlpha { get; init; } = 0.05;
    public double SeasonAlpha { get; init; } = 0.3;
    public int MaxBuckets { get; init; } = 288;
    public double SeasonalAdvantage { get; init; } = 0.8;
    public double RawCap { get; init; } = 20;
    public int ShortWindow { get; init; } = 5;
    public double LongAlpha { get; init; } = 0.001;
    public int Refractory { get; init; } = 0;
    public double TailDiv { get; init; } = 10;
    public double RecordDecay { get; init; } = 0.999;
    public double RecordPower { get; init; } = 1;
    public double NoveltyZ { get; init; } = 4;
    public double NoveltyFraction { get; init; } = 0.2;
    public double NoveltyPower { get; init; } = 1;
    public int NoveltyRing { get; init; } = 64;
    public int DailySpan { get; init; } = 1;
    public int DailyWeight { get; init; } = 1;
    public double QuantileRate { get; init; } = 0.05;
    public double QuantileP { get; init; } = 0.99;
    public double DailyDamp { get; init; } = 0.1;
    public double PeakDecay { get; init; } = 0.5;
    public int Mode { get; init; }
}
