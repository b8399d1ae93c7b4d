namespace Maran.Instrument.Benchmarks.Nab;

/// <summary>
/// The NAB score (Lavin and Ahmad, 2015) of one detector's anomaly scores over a corpus, for one profile.
/// </summary>
/// <remarks>
/// Each row after a file's probationary period (the first 15 % of its rows, at most 750) is a detection when its
/// anomaly score reaches the threshold. The first, best detection inside a labelled window earns the scaled sigmoid
/// of its relative position there (1 at the window's start, about 0 at its end) times the true-positive weight; a
/// window with no detection costs the false-negative weight. A detection outside every window costs the
/// false-positive weight times the scaled sigmoid of its distance after the preceding window in window lengths
/// (almost nothing just after a window, the full weight from three lengths on or before any window). The threshold
/// is the one that gives the highest sum over all files; that sum is normalised so that the null detector (no
/// detections at its best threshold) scores 0 and detecting every window at its start scores 100.
/// </remarks>
public static class NabScorer
{
    /// <summary>Share of a file's rows in its probationary period, in which nothing is scored.</summary>
    public const double ProbationaryPercent = 0.15;

    /// <summary>The probationary period never exceeds this share of 5,000 rows (750 rows).</summary>
    private const int ProbationaryCapRows = 5000;

    private const int NotInWindow = -1;

    /// <summary>The scaled sigmoid at the window start, which the true-positive reward is divided by.</summary>
    private static readonly double MaxTruePositive = ScaledSigmoid(-1.0);

    /// <summary>Scores a detector's rows over the whole corpus for every profile of the corpus.</summary>
    /// <param name="corpus">The labelled corpus.</param>
    /// <param name="scores">Each file's anomaly scores, one per data row, by the file's relative path.</param>
    /// <exception cref="ArgumentException">A file of the corpus has no scores, or a different number of rows.</exception>
    public static IReadOnlyList<NabProfileScore> Score(NabCorpus corpus, IReadOnlyDictionary<string, double[]> scores)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(scores);
        Rows rows = Prepare(corpus, file => scores.TryGetValue(file, out double[]? s)
            ? s
            : throw new ArgumentException($"No anomaly scores for '{file}'.", nameof(scores)));
        Rows nullRows = Prepare(corpus, file => new double[corpus.TimestampsOf(file).Length]);
        return corpus.Profiles
            .Select(profile =>
            {
                (double threshold, double raw) = Sweep(rows, profile);
                double baseline = Sweep(nullRows, profile).Score;
                double perfect = corpus.Labels.WindowCount * profile.TruePositiveWeight;
                return new NabProfileScore(profile, threshold, raw, 100 * (raw - baseline) / (perfect - baseline));
            })
            .ToList();
    }

    /// <summary>2·sigmoid(−5x) − 1 for x ≤ 3, else −1: about 1 at x = −1 (a window's start), 0 at its end, −1 far after it.</summary>
    public static double ScaledSigmoid(double relativePosition) =>
        relativePosition > 3.0 ? -1.0 : (2 / (1 + Math.Exp(5 * relativePosition))) - 1;

    /// <summary>The probationary length of a file of <paramref name="rowCount"/> rows.</summary>
    public static int ProbationaryRows(int rowCount) =>
        (int)Math.Min(Math.Floor(ProbationaryPercent * rowCount), ProbationaryPercent * ProbationaryCapRows);

    /// <summary>The scorable rows of all files sorted by anomaly score, highest first, with what each is worth.</summary>
    private static Rows Prepare(NabCorpus corpus, Func<string, double[]> scoresOf)
    {
        var anomaly = new List<double>();
        var position = new List<double>();
        var window = new List<int>();
        int windowCount = 0;
        foreach (string file in corpus.Files)
        {
            DateTime[] times = corpus.TimestampsOf(file);
            double[] scores = scoresOf(file);
            if (scores.Length != times.Length)
            {
                throw new ArgumentException($"'{file}' has {times.Length} rows but {scores.Length} anomaly scores.", nameof(scoresOf));
            }

            int probation = ProbationaryRows(times.Length);
            var ranges = corpus.Labels.WindowsOf(file).Select(w => IndexRange(times, w)).ToList();
            int next = 0;
            int current = NotInWindow;
            int left = 0, right = 0, previousRight = -1, previousWidth = 0, currentId = NotInWindow;
            for (int i = 0; i < times.Length; i++)
            {
                if (current == NotInWindow && next < ranges.Count && i == ranges[next].Left)
                {
                    current = next++;
                    (left, right) = ranges[current];
                    currentId = i >= probation || right >= probation ? windowCount++ : NotInWindow;
                }

                double worth;
                if (current != NotInWindow)
                {
                    worth = ScaledSigmoid(-(right - i + 1) / (double)(right - left + 1)) / MaxTruePositive;
                }
                else
                {
                    worth = previousRight < 0 ? -1.0 : ScaledSigmoid(Math.Abs(previousRight - i) / (double)(previousWidth - 1));
                }

                if (i >= probation)
                {
                    double score = scores[i];
                    anomaly.Add(double.IsNaN(score) ? 0 : score);
                    position.Add(worth);
                    window.Add(current != NotInWindow ? currentId : NotInWindow);
                }

                if (current != NotInWindow && i == right)
                {
                    previousRight = right;
                    previousWidth = right - left + 1;
                    current = NotInWindow;
                }
            }
        }

        double[] keys = anomaly.Select(a => -a).ToArray();
        int[] order = Enumerable.Range(0, keys.Length).ToArray();
        Array.Sort(keys, order);
        return new Rows(
            order.Select(i => anomaly[i]).ToArray(),
            order.Select(i => position[i]).ToArray(),
            order.Select(i => window[i]).ToArray(),
            windowCount);
    }

    /// <summary>The rows of a window, from the first timestamp at or after its start to the last at or before its end.</summary>
    private static (int Left, int Right) IndexRange(DateTime[] times, NabWindow window)
    {
        int left = Array.FindIndex(times, t => t >= window.Start);
        int right = Array.FindLastIndex(times, t => t <= window.End);
        if (left < 0 || right < left)
        {
            throw new ArgumentException($"The window {window.Start:s} to {window.End:s} holds no row of its file.", nameof(window));
        }

        return (left, right);
    }

    /// <summary>Lowers the threshold one distinct score at a time and keeps the best total and its threshold.</summary>
    private static (double Threshold, double Score) Sweep(Rows rows, NabProfile profile)
    {
        var best = new double[rows.WindowCount];
        Array.Fill(best, -profile.FalseNegativeWeight);
        double total = -profile.FalseNegativeWeight * rows.WindowCount;
        double bestTotal = total;
        double bestThreshold = double.PositiveInfinity;
        for (int i = 0; i < rows.Anomaly.Length;)
        {
            double threshold = rows.Anomaly[i];
            for (; i < rows.Anomaly.Length && rows.Anomaly[i] == threshold; i++)
            {
                int window = rows.Window[i];
                if (window == NotInWindow)
                {
                    total += rows.Worth[i] * profile.FalsePositiveWeight;
                }
                else
                {
                    double reward = rows.Worth[i] * profile.TruePositiveWeight;
                    if (reward > best[window])
                    {
                        total += reward - best[window];
                        best[window] = reward;
                    }
                }
            }

            if (total > bestTotal)
            {
                bestTotal = total;
                bestThreshold = threshold;
            }
        }

        return (bestThreshold, bestTotal);
    }

    /// <summary>Scorable rows, highest anomaly score first: the score, the unweighted worth of a detection there, its window or <see cref="NotInWindow"/>.</summary>
    private sealed record Rows(double[] Anomaly, double[] Worth, int[] Window, int WindowCount);
}
