namespace Maran.Instrument.Generator.Tests;

/// <summary>
/// Compares generated source with the baseline file of its scenario (<c>Baselines/&lt;scenario&gt;.g.cs</c>). Set
/// <c>MARAN_UPDATE_BASELINES=1</c> to rewrite the baselines in the source tree after reviewing a change.
/// </summary>
internal static class Baseline
{
    public static void Verify(string scenario, GeneratorRun run)
    {
        string actual = run.GeneratedText.ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable("MARAN_UPDATE_BASELINES") == "1")
        {
            File.WriteAllText(Path.Combine(SourceDirectory(), "Baselines", scenario + ".g.cs"), actual);
            return;
        }

        string path = Path.Combine(AppContext.BaseDirectory, "Baselines", scenario + ".g.cs");
        Assert.True(File.Exists(path), $"No baseline for {scenario}; run the tests with MARAN_UPDATE_BASELINES=1 to create it.\n{actual}");
        string expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.Equal(expected, actual);
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetDirectoryName(path)!;
}
