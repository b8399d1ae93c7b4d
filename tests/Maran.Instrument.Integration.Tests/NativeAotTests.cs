using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Maran.Instrument.Integration.Tests;

/// <summary>
/// A console program that uses [MonitorOperation], Start() and a YAML file, with only a PackageReference to the packed
/// package, publishes with NativeAOT without a single trim or AOT warning, and its native binary intercepts its calls.
/// </summary>
[Collection(PackedPackageCollection.Name)]
public sealed partial class NativeAotTests(PackedPackage package)
{
    [SkippableFact]
    public void A_NativeAOT_publish_has_no_trim_or_AOT_warning_and_the_native_binary_counts_its_calls_and_reads_its_yaml()
    {
        // NativeAOT links with clang; CI installs it (and zlib1g-dev), so there the test always runs.
        Skip.If(!HasClang() && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")), "NativeAOT needs clang and zlib1g-dev (apt-get install clang zlib1g-dev)");
        string consumer = package.CreateConsumer("AotConsumer");
        string output = Path.Combine(consumer, "native");

        DotNet.Result publish = DotNet.Run(consumer, TimeSpan.FromMinutes(20),
                "publish", "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "-o", output)
            .EnsureSuccess("publishing the consumer with PublishAot");

        string[] warnings = [.. TrimOrAotWarning().Matches(publish.Output).Select(m => m.Value.Trim()).Distinct(StringComparer.Ordinal)];
        Assert.True(warnings.Length == 0, "trim or AOT warnings:\n" + string.Join('\n', warnings));
        string binary = Path.Combine(output, "AotConsumer");
        Assert.False(File.Exists(Path.Combine(output, "AotConsumer.dll")), "the publish is not native");

        DotNet.Result run = DotNet.Exec(binary, output, TimeSpan.FromMinutes(2)).EnsureSuccess("running the native binary");

        Assert.Contains("add=5 wait=1 total=10", run.Output, StringComparison.Ordinal);
        Assert.Contains("health_check_interval=7 storage=False", run.Output, StringComparison.Ordinal);
    }

    private static bool HasClang() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Any(folder => folder.Length > 0 && File.Exists(Path.Combine(folder, "clang")));

    /// <summary>A line of a trim (IL2xxx), AOT (IL3xxx) or single-file warning, from any assembly.</summary>
    [GeneratedRegex(@"^.*warning IL\d{4}.*$", RegexOptions.Multiline)]
    private static partial Regex TrimOrAotWarning();
}
