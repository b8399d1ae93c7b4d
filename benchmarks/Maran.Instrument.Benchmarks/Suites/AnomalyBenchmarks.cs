using BenchmarkDotNet.Attributes;
using Maran.Instrument.Anomaly;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>
/// <see cref="AnomalyDetector.Observe"/> on a noisy daily series at a 5-minute interval with an occasional spike:
/// nanoseconds and bytes per point once the detector is warm (its daily profile filled).
/// Run it with <c>-- --filter '*AnomalyBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class AnomalyBenchmarks
{
    private const int Points = 4096;
    private readonly double[] _values = new double[Points];
    private readonly DateTimeOffset[] _times = new DateTimeOffset[Points];
    private AnomalyDetector _detector = new();
    private int _next;

    /// <summary>Builds the series and warms a detector over three days of it.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < Points; i++)
        {
            _times[i] = start.AddMinutes(5 * i);
            _values[i] = 100 + (20 * Math.Sin(2 * Math.PI * i / 288)) + (random.NextDouble() * 4) + (i % 500 == 499 ? 60 : 0);
        }

        _detector = new AnomalyDetector();
        for (int i = 0; i < 3 * 288; i++)
        {
            _detector.Observe(_times[i], _values[i]);
        }

        _next = 3 * 288;
    }

    /// <summary>Scores and learns one point.</summary>
    [Benchmark]
    public double Observe()
    {
        int i = _next;
        _next = i + 1 == Points ? 3 * 288 : i + 1;
        return _detector.Observe(_times[i].AddDays(14 * (_detector.Count / Points)), _values[i]).Score;
    }
}
