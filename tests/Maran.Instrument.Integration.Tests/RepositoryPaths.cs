namespace Maran.Instrument.Integration.Tests;

/// <summary>Where the repository and its projects are, found from the test's output folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Maran.Instrument.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The tests must run from inside the repository (Maran.Instrument.sln not found above " + AppContext.BaseDirectory + ").");
    }
}
