using System.Diagnostics;
using System.Globalization;
using System.Text;
using Maran.Instrument.Anomaly;

namespace Maran.Instrument.Benchmarks.Nab;

/// <summary>
/// Runs the runtime's <see cref="AnomalyDetector"/> over every <c>&lt;category&gt;/&lt;name&gt;.csv</c> of a NAB data
/// folder, each file as a fresh stream, and writes NAB's results layout:
/// <c>&lt;results&gt;/maran/&lt;category&gt;/maran_&lt;name&gt;.csv</c> with <c>timestamp,value,anomaly_score</c>.
/// </summary>
public static class NabRunner
{
    /// <summary>The detector's folder and file prefix in the results layout.</summary>
    public const string DetectorName = "maran";

    /// <summary>Runs the detector over <paramref name="dataFolder"/> and writes its results under <paramref name="resultsFolder"/>.</summary>
    /// <returns>Files and points processed, and the time spent in <see cref="AnomalyDetector.Observe"/> alone.</returns>
    /// <exception cref="DirectoryNotFoundException">The data folder does not exist.</exception>
    public static NabRun Run(string dataFolder, string resultsFolder)
    {
        if (!Directory.Exists(dataFolder))
        {
            throw new DirectoryNotFoundException($"No NAB data folder at {dataFolder}.");
        }

        int files = 0;
        long points = 0;
        long ticks = 0;
        foreach (string category in Directory.GetDirectories(dataFolder).Order(StringComparer.Ordinal))
        {
            foreach (string path in Directory.GetFiles(category, "*.csv").Order(StringComparer.Ordinal))
            {
                NabCsv data = NabCsv.Read(path, "value");
                var scores = new double[data.Values.Length];
                long started = Stopwatch.GetTimestamp();
                Detect(data, scores);
                ticks += Stopwatch.GetTimestamp() - started;
                string output = Path.Combine(resultsFolder, DetectorName, Path.GetFileName(category), $"{DetectorName}_{Path.GetFileName(path)}");
                Write(output, data, scores);
                files++;
                points += scores.Length;
            }
        }

        return new NabRun(files, points, Stopwatch.GetElapsedTime(0, ticks));
    }

    /// <summary>Scores one file's values with a fresh detector.</summary>
    internal static void Detect(NabCsv data, double[] scores)
    {
        var detector = new AnomalyDetector();
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = detector.Observe(new DateTimeOffset(data.Timestamps[i], TimeSpan.Zero), data.Values[i]).Score;
        }
    }

    private static void Write(string path, NabCsv data, double[] scores)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var text = new StringBuilder("timestamp,value,anomaly_score\n");
        for (int i = 0; i < scores.Length; i++)
        {
            text.Append(data.TimestampTexts[i]).Append(',')
                .Append(double.IsNaN(data.Values[i]) ? string.Empty : data.Values[i].ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(scores[i].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }
}
