namespace Maran.Instrument.Benchmarks.Nab;

/// <summary>
/// A NAB corpus: the data files (<c>data/&lt;category&gt;/&lt;name&gt;.csv</c>), their labelled windows
/// (<c>combined_windows.json</c>) and the scoring profiles (<c>profiles.json</c>).
/// </summary>
public sealed class NabCorpus
{
    private readonly Dictionary<string, DateTime[]> _timestamps;

    private NabCorpus(NabLabels labels, IReadOnlyList<NabProfile> profiles, Dictionary<string, DateTime[]> timestamps)
    {
        Labels = labels;
        Profiles = profiles;
        _timestamps = timestamps;
    }

    /// <summary>The labelled windows.</summary>
    public NabLabels Labels { get; }

    /// <summary>The scoring profiles, in file order.</summary>
    public IReadOnlyList<NabProfile> Profiles { get; }

    /// <summary>The labelled data files, by path relative to the data folder, in label order.</summary>
    public IReadOnlyCollection<string> Files => Labels.Files;

    /// <summary>The timestamps of one data file's rows.</summary>
    public DateTime[] TimestampsOf(string relativePath) => _timestamps[relativePath];

    /// <summary>
    /// Loads the corpus under <paramref name="folder"/>, which holds <c>combined_windows.json</c>, <c>profiles.json</c>
    /// and <c>data/</c> (the layout of NAB's repository, with <c>labels/</c> and <c>config/</c> also accepted).
    /// </summary>
    /// <exception cref="FileNotFoundException">A labelled data file, the labels or the profiles are missing.</exception>
    public static NabCorpus Load(string folder)
    {
        string labelsPath = FirstExisting(folder, "combined_windows.json", Path.Combine("labels", "combined_windows.json"));
        string profilesPath = FirstExisting(folder, "profiles.json", Path.Combine("config", "profiles.json"));
        NabLabels labels = NabLabels.Load(labelsPath);
        var timestamps = new Dictionary<string, DateTime[]>(StringComparer.Ordinal);
        foreach (string file in labels.Files)
        {
            string path = Path.Combine(folder, "data", file);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{labelsPath} labels '{file}', which is not in {Path.Combine(folder, "data")}.", path);
            }

            timestamps[file] = NabCsv.Read(path, "value").Timestamps;
        }

        return new NabCorpus(labels, NabProfile.Load(profilesPath), timestamps);
    }

    private static string FirstExisting(string folder, params string[] candidates)
    {
        foreach (string candidate in candidates)
        {
            string path = Path.Combine(folder, candidate);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"None of {string.Join(", ", candidates)} is in {folder}.");
    }
}
