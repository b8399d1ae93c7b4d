namespace Maran.Instrument.Tests.Health;

/// <summary>
/// A copy of one fixture machine (its <c>/proc</c> and <c>/sys/fs/cgroup</c> files) in a temporary folder, so a
/// test can move it on to the figures in its <c>later/</c> folder between two samples.
/// </summary>
internal sealed class FixtureRoot : IDisposable
{
    private readonly string _fixture;

    public FixtureRoot(string name)
    {
        _fixture = Source(name);
        Path = Directory.CreateTempSubdirectory($"maran-health-{name}-").FullName;
        CopyTree(_fixture, Path, skip: "later");
    }

    public string Path { get; }

    /// <summary>The fixture folder itself, for readers that only read.</summary>
    public static string Source(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Health", "Fixtures", name);

    /// <summary>Overwrites the files that change over time with the fixture's later figures.</summary>
    public void MoveToLater() => CopyTree(System.IO.Path.Combine(_fixture, "later"), Path, skip: null);

    public void Dispose() => Directory.Delete(Path, recursive: true);

    private static void CopyTree(string from, string to, string? skip)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string relative = System.IO.Path.GetRelativePath(from, file);
            if (skip is not null && relative.StartsWith(skip + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            string target = System.IO.Path.Combine(to, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
