using System.Globalization;

namespace Maran.Instrument.Benchmarks.Nab;

/// <summary>
/// The NAB commands of the benchmark program: <c>nab DATA_DIR RESULTS_DIR</c> runs the detector over a NAB data
/// folder; <c>nab-score NAB_DIR [RESULTS_DIR...]</c> scores every detector found in the results folders.
/// </summary>
public static class NabCommand
{
    /// <summary>Usage of both commands.</summary>
    public const string Usage =
        "usage: nab DATA_DIR RESULTS_DIR    run the anomaly detector over DATA_DIR/<category>/<name>.csv\n" +
        "       nab-score NAB_DIR [RESULTS_DIR...]    score every detector under RESULTS_DIR (default NAB_DIR/results)\n" +
        "                                             against NAB_DIR/combined_windows.json, profiles.json and data/";

    /// <summary>Runs <c>nab DATA_DIR RESULTS_DIR</c>; returns the process exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Count != 2)
        {
            output.WriteLine(Usage);
            return 2;
        }

        NabRun run = NabRunner.Run(args[0], args[1]);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{run.Files} files, {run.Points:N0} points in {run.DetectorTime.TotalMilliseconds:F1} ms: {run.NanosecondsPerPoint:F0} ns per point"));
        output.WriteLine($"results in {Path.Combine(args[1], NabRunner.DetectorName)}");
        return 0;
    }

    /// <summary>Runs <c>nab-score NAB_DIR [RESULTS_DIR...]</c>; returns the process exit code.</summary>
    public static int Score(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Count < 1)
        {
            output.WriteLine(Usage);
            return 2;
        }

        NabCorpus corpus = NabCorpus.Load(args[0]);
        IEnumerable<string> folders = args.Count > 1 ? args.Skip(1) : [Path.Combine(args[0], "results")];
        var detectors = folders
            .SelectMany(folder => Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
            .Select(folder => (Name: Path.GetFileName(folder), Scores: NabScorer.Score(corpus, ReadResults(corpus, folder))))
            .ToList();
        output.WriteLine($"NAB scores over {corpus.Files.Count} files, {corpus.Labels.WindowCount} windows (null = 0, perfect = 100)");
        output.WriteLine();
        output.WriteLine("| detector | " + string.Join(" | ", corpus.Profiles.Select(p => p.Name)) + " |");
        output.WriteLine("|---|" + string.Concat(corpus.Profiles.Select(_ => "---:|")));
        foreach ((string name, IReadOnlyList<NabProfileScore> scores) in detectors)
        {
            output.WriteLine($"| {name} | " + string.Join(" | ", scores.Select(s => s.Score.ToString("F2", CultureInfo.InvariantCulture))) + " |");
        }

        return 0;
    }

    /// <summary>Reads one detector's results (<c>&lt;folder&gt;/&lt;category&gt;/&lt;detector&gt;_&lt;name&gt;.csv</c>) for every file of the corpus.</summary>
    /// <exception cref="FileNotFoundException">A file of the corpus has no results.</exception>
    public static Dictionary<string, double[]> ReadResults(NabCorpus corpus, string detectorFolder)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        string detector = Path.GetFileName(Path.TrimEndingDirectorySeparator(detectorFolder));
        var results = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (string file in corpus.Files)
        {
            string path = Path.Combine(detectorFolder, Path.GetDirectoryName(file)!, $"{detector}_{Path.GetFileName(file)}");
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"Detector '{detector}' has no results for '{file}' (looked for {path}).", path);
            }

            results[file] = NabCsv.Read(path, "anomaly_score").Values;
        }

        return results;
    }
}
