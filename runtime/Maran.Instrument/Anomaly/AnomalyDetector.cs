namespace Maran.Instrument;

/// <summary>
/// A streaming anomaly detector for one series: each point is scored before the next is seen, with constant memory and
/// constant work per point, and no training run.
/// </summary>
/// <remarks>
/// Not thread-safe: one detector watches one series and is fed from one thread (the alert evaluator, the NAB runner).
/// A point whose value is <see cref="double.NaN"/> is a missing point: it is scored 0 and teaches nothing.
/// </remarks>
public sealed class AnomalyDetector
{
    private const long DaySeconds = 86_400;
    private readonly AnomalyDetectorSettings _s;

    private long _count;
    private long _learnt;
    private DateTimeOffset _last;
    private double _interval;

    private double _mean;
    private double _dev;

    private int _buckets;
    private readonly double[] _bucketMean;
    private readonly double[] _bucketDev;
    private readonly int[] _bucketSeen;
    private double _seasonErr;
    private double _levelErr;

    private readonly double[] _short;
    private int _shortNext;
    private int _shortCount;
    private double _shortSum;
    private double _longMean;
    private double _longVar;
    private long _longN;
    private double _suppress;
    private double _record;
    private double _quantile = 1;
    private readonly double[] _seen;
    private int _seenNext;
    private int _seenCount;
    private readonly double[] _lastAt;
    private readonly double[] _peakZ;

    /// <summary>Creates a detector with the default parameters.</summary>
    public AnomalyDetector()
        : this(new AnomalyDetectorSettings())
    {
    }

    internal AnomalyDetector(AnomalyDetectorSettings settings)
    {
        _s = settings;
        _bucketMean = new double[settings.MaxBuckets];
        _bucketDev = new double[settings.MaxBuckets];
        _bucketSeen = new int[settings.MaxBuckets];
        _short = new double[settings.ShortWindow];
        _seen = new double[settings.NoveltyRing];
        _lastAt = new double[settings.MaxBuckets];
        _peakZ = new double[settings.MaxBuckets];
    }

    /// <summary>Points seen so far, missing ones included.</summary>
    public long Count => _count;

    /// <summary>Scores one point of the series and learns from it.</summary>
    /// <param name="timestamp">When the point was taken; points arrive in time order.</param>
    /// <param name="value">The value, or <see cref="double.NaN"/> for a missing point.</param>
    public AnomalyScore Observe(DateTimeOffset timestamp, double value)
    {
        _count++;
        if (_count > 1)
        {
            double delta = (timestamp - _last).TotalSeconds;
            if (delta > 0 && (_interval == 0 || (_count <= _s.WarmUpPoints && delta < _interval)))
            {
                _interval = delta;
            }
        }

        _last = timestamp;
        if (!double.IsFinite(value))
        {
            return new AnomalyScore(0, double.NaN, _mean, _mean - 3 * _dev, _mean + 3 * _dev);
        }

        if (_buckets == 0 && _learnt >= _s.WarmUpPoints && _interval > 0)
        {
            _buckets = (int)Math.Clamp(Math.Round(DaySeconds / _interval), 1, _s.MaxBuckets);
        }

        int bucket = _buckets > 1 ? (int)(timestamp.UtcDateTime.TimeOfDay.TotalSeconds * _buckets / DaySeconds) % _buckets : -1;

        double expected = _mean;
        double scale = _dev;
        double floor = 1e-9 + 1e-6 * Math.Abs(expected);
        double z = Math.Abs(value - expected) / (1.25 * scale + floor);
        if (bucket >= 0 && _bucketSeen[bucket] >= 2)
        {
            double zs = double.PositiveInfinity;
            int span = (_s.Mode & 2) != 0 ? 1 : 0;
            for (int k = -span; k <= span; k++)
            {
                int b = (bucket + k + _buckets) % _buckets;
                if (_bucketSeen[b] >= 2)
                {
                    double zb = Math.Abs(value - _bucketMean[b]) / (1.25 * _seasonErr + floor);
                    if (zb < zs)
                    {
                        zs = zb;
                        if (k == 0 || expected == _mean) { }
                    }
                }
            }

            bool better = _seasonErr < _s.SeasonalAdvantage * _levelErr;
            if (better)
            {
                expected = _bucketMean[bucket];
                scale = _seasonErr;
                z = zs;
            }
            else if ((_s.Mode & 4) != 0)
            {
                z = Math.Min(z, zs);
            }
        }

        z = Math.Min(_s.RawCap, z);
        double score = 0;
        if (_learnt >= _s.WarmUpPoints)
        {
            score = (_s.Mode & 64) != 0 ? QuantileScore(z) : Likelihood(z);
            if ((_s.Mode & 8) != 0)
            {
                double ratio = z / (_record + 1e-9);
                score *= Math.Min(1, Math.Pow(ratio, _s.RecordPower));
            }
        }

        _record = Math.Max(z, _record * _s.RecordDecay);
        if ((_s.Mode & 16) != 0 && z >= _s.NoveltyZ)
        {
            double tol = Math.Max(_s.NoveltyFraction * Math.Abs(value - expected), 1e-12);
            int seen = 0;
            for (int k = 0; k < _seenCount; k++)
            {
                if (Math.Abs(_seen[k] - value) <= tol)
                {
                    seen++;
                }
            }

            bool daily = false;
            if ((_s.Mode & 32) != 0 && bucket >= 0)
            {
                for (int k = -_s.DailySpan; k <= _s.DailySpan; k++)
                {
                    int b = (bucket + k + _buckets) % _buckets;
                    if (_bucketSeen[b] > 0 && Math.Abs(_lastAt[b] - value) <= tol)
                    {
                        daily = true;
                    }
                }
            }

            score /= Math.Pow(1 + seen, _s.NoveltyPower);
            if (daily)
            {
                score *= _s.DailyDamp;
            }

            _seen[_seenNext] = value;
            _seenNext = (_seenNext + 1) % _seen.Length;
            _seenCount = Math.Min(_seenCount + 1, _seen.Length);
        }


        if (bucket >= 0)
        {
            _peakZ[bucket] *= _s.PeakDecay;
            if (z >= _peakZ[bucket])
            {
                _peakZ[bucket] = z;
                _lastAt[bucket] = value;
            }
        }

        Learn(value, bucket);
        _learnt++;

        if (_s.Refractory > 0)
        {
            double output = score > _suppress ? score : 0;
            _suppress = Math.Max((_s.Mode & 128) != 0 ? _suppress * (1 - 1.0 / _s.Refractory) : _suppress - 1.0 / _s.Refractory, score);
            score = output;
        }

        return new AnomalyScore(score, value, expected, expected - 3 * 1.25 * scale, expected + 3 * 1.25 * scale);
    }

    private double QuantileScore(double z)
    {
        double r = z / (_quantile + 1e-9);
        double result = _learnt > 2 * _s.WarmUpPoints ? r / (1 + r) : 0;
        if (z > _quantile)
        {
            _quantile *= Math.Exp(_s.QuantileRate * _s.QuantileP);
        }
        else
        {
            _quantile *= Math.Exp(-_s.QuantileRate * (1 - _s.QuantileP));
        }

        return result;
    }

    private double Likelihood(double raw)
    {
        if (_shortCount == _short.Length)
        {
            _shortSum -= _short[_shortNext];
        }
        else
        {
            _shortCount++;
        }

        _short[_shortNext] = raw;
        _shortSum += raw;
        _shortNext = (_shortNext + 1) % _short.Length;
        double avg = _shortSum / _shortCount;

        double result = 0;
        if (_longN > _s.WarmUpPoints)
        {
            double std = Math.Sqrt(_longVar) + 1e-3;
            double zz = (avg - _longMean) / std;
            result = TailScore(zz);
        }

        _longN++;
        double a = Math.Max(_s.LongAlpha, 1.0 / _longN);
        double d = raw - _longMean;
        _longMean += a * d;
        _longVar = (1 - a) * (_longVar + a * d * d);
        return result;
    }

    private double TailScore(double z)
    {
        if (z <= 0)
        {
            return 0;
        }

        double q = 0.5 * Erfc(z / Math.Sqrt(2));
        return (_s.Mode & 256) != 0 ? 1 - Math.Exp(-(-Math.Log10(q + 1e-300)) / _s.TailDiv) : Math.Min(1, -Math.Log10(q + 1e-300) / _s.TailDiv);
    }

    private static double Erfc(double x)
    {
        double t = 1 / (1 + 0.5 * Math.Abs(x));
        double r = t * Math.Exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
            t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    private void Learn(double value, int bucket)
    {
        if (_learnt == 0)
        {
            _mean = value;
        }

        double a = Math.Max(_s.LevelAlpha, 1.0 / (_learnt + 1));
        double r = value - _mean;
        _levelErr += a * (Math.Abs(r) - _levelErr);
        _mean += a * r;
        _dev += a * (Math.Abs(r) - _dev);

        if (bucket >= 0)
        {
            int seen = _bucketSeen[bucket];
            if (seen == 0)
            {
                _bucketMean[bucket] = value;
            }
            else
            {
                double rs = value - _bucketMean[bucket];
                _seasonErr += _s.LevelAlpha * (Math.Abs(rs) - _seasonErr);
                double b = Math.Max(_s.SeasonAlpha, 1.0 / (seen + 1));
                _bucketMean[bucket] += b * rs;
                _bucketDev[bucket] += b * (Math.Abs(rs) - _bucketDev[bucket]);
            }

            _bucketSeen[bucket] = Math.Min(seen + 1, 1_000_000);
        }
    }
}
