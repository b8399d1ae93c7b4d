using Maran.Instrument.Benchmarks.Nab;

namespace Maran.Instrument.Benchmarks.Tests;

/// <summary>
/// The NAB scorer against NAB's published detectors' outputs, and the <c>nab</c> command over the NAB data. The
/// corpus is found through <c>MARAN_NAB_DIR</c>, else at <c>../shared/nab</c> beside the repository root; without
/// it these tests are skipped, saying where they looked.
/// </summary>
public sealed class NabTests
{
    private static readonly string? Corpus = FindCorpus(out s_lookedAt);
    private static readonly string s_lookedAt;

    [SkippableFact]
    public void Scorer_reproduces_the_published_scores_of_numenta_windowedGaussian_and_null()
    {
        NabCorpus corpus = Load();

        Assert.Equal([75.52, 70.68, 78.99], ScoresOf(corpus, "numenta"));
        Assert.Equal([41.42, 26.48, 48.45], ScoresOf(corpus, "windowedGaussian"));
        Assert.Equal([0.0, 0.0, 0.0], ScoresOf(corpus, "null"));
    }

    [SkippableFact]
    public void Detecting_every_window_at_its_start_and_nothing_else_scores_100()
    {
        NabCorpus corpus = Load();
        var scores = new Dictionary<string, double[]>();
        foreach (string file in corpus.Files)
        {
            DateTime[] times = corpus.TimestampsOf(file);
            var perfect = new double[times.Length];
            foreach (NabWindow window in corpus.Labels.WindowsOf(file))
            {
                perfect[Array.FindIndex(times, t => t >= window.Start)] = 1;
            }

            scores[file] = perfect;
        }

        Assert.All(NabScorer.Score(corpus, scores), s => Assert.Equal(100, s.Score, precision: 6));
    }

    [SkippableFact]
    public void Nab_command_writes_one_row_per_input_row_in_order_and_its_results_score()
    {
        NabCorpus corpus = Load();
        string results = Path.Combine(Path.GetTempPath(), $"maran-nab-{Guid.NewGuid():N}");
        try
        {
            using var output = new StringWriter();
            Assert.Equal(0, NabCommand.Run([Path.Combine(Corpus!, "data"), results], output));
            Assert.Contains("ns per point", output.ToString(), StringComparison.Ordinal);

            string input = Path.Combine(Corpus!, "data", "realTraffic", "speed_6005.csv");
            string written = Path.Combine(results, "maran", "realTraffic", "maran_speed_6005.csv");
            string[] inputLines = File.ReadAllLines(input);
            string[] writtenLines = File.ReadAllLines(written);
            Assert.Equal("timestamp,value,anomaly_score", writtenLines[0]);
            Assert.Equal(inputLines.Length, writtenLines.Length);
            Assert.Equal(inputLines.Skip(1).Select(l => l.Split(',')[0]), writtenLines.Skip(1).Select(l => l.Split(',')[0]));

            IReadOnlyList<NabProfileScore> scores = NabScorer.Score(corpus, NabCommand.ReadResults(corpus, Path.Combine(results, "maran")));
            Assert.True(scores[0].Score >= 65, $"standard profile {scores[0].Score:F2}");
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }

    [Fact]
    public void Scaled_sigmoid_is_one_at_a_window_start_zero_at_its_end_and_minus_one_far_after()
    {
        Assert.Equal(0.9866, NabScorer.ScaledSigmoid(-1), precision: 4);
        Assert.Equal(0, NabScorer.ScaledSigmoid(0), precision: 12);
        Assert.Equal(-1, NabScorer.ScaledSigmoid(3.5));
    }

    [Fact]
    public void Probationary_period_is_15_percent_of_a_file_and_at_most_750_rows()
    {
        Assert.Equal(150, NabScorer.ProbationaryRows(1000));
        Assert.Equal(750, NabScorer.ProbationaryRows(20_000));
    }

    private static double[] ScoresOf(NabCorpus corpus, string detector) =>
        [.. NabScorer.Score(corpus, NabCommand.ReadResults(corpus, Path.Combine(Corpus!, "results", detector))).Select(s => Math.Round(s.Score, 2))];

    private static NabCorpus Load()
    {
        Skip.If(Corpus is null, $"No NAB corpus: looked at {s_lookedAt}.");
        return NabCorpus.Load(Corpus!);
    }

    private static string? FindCorpus(out string lookedAt)
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("MARAN_NAB_DIR") is { Length: > 0 } fromEnvironment)
        {
            candidates.Add(fromEnvironment);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Maran.Instrument.sln")))
            {
                candidates.Add(Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "nab")));
                break;
            }
        }

        lookedAt = candidates.Count == 0 ? "MARAN_NAB_DIR (unset) and no repository root" : string.Join(", then ", candidates);
        return candidates.FirstOrDefault(c => File.Exists(Path.Combine(c, "combined_windows.json")));
    }
}
