using System.IO.Compression;
using System.Text.Json;

namespace Maran.Instrument.Integration.Tests;

/// <summary>
/// Packs Maran.Instrument once, under a version no cache has seen, into a folder of its own, and builds user
/// projects against it with nothing but a PackageReference.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    public PackedPackage()
    {
        Version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        Directory.CreateDirectory(Feed);
        DotNet.Run(RepositoryPaths.Root, TimeSpan.FromMinutes(5),
                "pack", "runtime/Maran.Instrument/Maran.Instrument.csproj", "-c", "Release", "-o", Feed, $"-p:Version={Version}")
            .EnsureSuccess("dotnet pack");
        PackagePath = Path.Combine(Feed, $"Maran.Instrument.{Version}.nupkg");
    }

    public string Version { get; }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "maran-package-" + Guid.NewGuid().ToString("N"));

    public string Feed => Path.Combine(Root, "feed");

    public string PackagePath { get; }

    /// <summary>Copies a consumer project into a fresh folder outside the repository, wired to the local feed.</summary>
    public string CreateConsumer(string template)
    {
        string directory = Path.Combine(Root, template + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        foreach (string file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, template)))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), $"""
            <Project>
              <PropertyGroup>
                <MaranInstrumentVersion>{Version}</MaranInstrumentVersion>
              </PropertyGroup>
            </Project>
            """);
        return directory;
    }

    public void Dispose()
    {
        TryDelete(Root);
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                       ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        TryDelete(Path.Combine(cache, "maran.instrument", Version));
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PackedPackageCollection : ICollectionFixture<PackedPackage>
{
    public const string Name = "Packed package";
}

[Collection(PackedPackageCollection.Name)]
public class PackageConsumerTests(PackedPackage package)
{
    [Fact]
    public void The_package_carries_the_runtime_for_each_framework_the_generator_and_the_build_targets()
    {
        using ZipArchive archive = ZipFile.OpenRead(package.PackagePath);
        var entries = archive.Entries.Select(e => e.FullName).ToHashSet();

        Assert.Contains("lib/net8.0/Maran.Instrument.dll", entries);
        Assert.Contains("lib/net10.0/Maran.Instrument.dll", entries);
        Assert.Contains("lib/net10.0/Maran.Instrument.xml", entries);
        Assert.Contains("analyzers/dotnet/cs/Maran.Instrument.Generator.dll", entries);
        Assert.Contains("buildTransitive/Maran.Instrument.targets", entries);
        Assert.Contains("buildTransitive/Maran.Instrument.props", entries);
    }

    [Fact]
    public void A_project_with_only_a_package_reference_has_its_calls_intercepted_on_every_framework()
    {
        string consumer = package.CreateConsumer("Consumer");

        DotNet.Run(consumer, TimeSpan.FromMinutes(5), "build", "-c", "Release").EnsureSuccess("building the consumer");
        DotNet.Result run = DotNet.Run(consumer, TimeSpan.FromMinutes(2), "run", "-c", "Release", "--no-build", "-f", "net10.0")
            .EnsureSuccess("running the consumer");

        string[] lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var counts = JsonSerializer.Deserialize<Dictionary<string, long[]>>(lines.First(l => l.StartsWith('{')))!;
        Assert.Equal([3, 0], counts["consumer/tokenize"]);
        Assert.Equal([1, 0], counts["consumer/generate"]);
        Assert.Equal([2, 0], counts["consumer/increment"]);
        Assert.Equal([1, 1], counts["consumer/fail"]);
        Assert.Contains("counter=2", lines);
    }
}
