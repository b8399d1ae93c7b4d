namespace Maran.Instrument.Dashboard.Tests;

/// <summary>Where browser tests leave screenshots: <c>artifacts/dashboard/</c> at the repository root (ignored by git).</summary>
internal static class Artifacts
{
    public static string RepositoryRoot
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Maran.Instrument.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("The repository root (Maran.Instrument.sln) was not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Directory
    {
        get
        {
            string path = Path.Combine(RepositoryRoot, "artifacts", "dashboard");
            System.IO.Directory.CreateDirectory(path);
            return path;
        }
    }

    /// <summary>Set <c>MARAN_UPDATE_DOCS_IMAGES=1</c> to also refresh the README's copies under <c>docs/images/</c>.</summary>
    public static bool UpdateDocs => Environment.GetEnvironmentVariable("MARAN_UPDATE_DOCS_IMAGES") == "1";
}
