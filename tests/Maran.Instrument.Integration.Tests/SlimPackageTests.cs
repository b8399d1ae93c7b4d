using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Maran.Instrument.Integration.Tests;

/// <summary>
/// What the core package costs an application that uses only <c>[MonitorOperation]</c>: the packages it brings,
/// the bytes it adds to a publish, and the Microsoft.Extensions line it asks of a net8.0 app.
/// </summary>
[Collection(PackedPackageCollection.Name)]
public sealed partial class SlimPackageTests(PackedPackage package, ITestOutputHelper output)
{
    private static readonly string[] s_heavy =
        ["SQLite", "SQLitePCLRaw", "MailKit", "MimeKit", "BouncyCastle", "Microsoft.ML.Tokenizers", "prometheus-net", "Serilog", "Google.Protobuf"];

    [Fact]
    public void The_core_package_brings_no_database_mail_tokenizer_prometheus_serilog_or_protobuf_package()
    {
        string consumer = package.CreateConsumer("SlimConsumer");
        DotNet.Run(consumer, TimeSpan.FromMinutes(5), "restore").EnsureSuccess("restoring the consumer");

        string listed = DotNet.Run(consumer, TimeSpan.FromMinutes(2), "list", "package", "--include-transitive", "--framework", "net10.0")
            .EnsureSuccess("listing its packages").Output;

        Assert.Contains("Maran.Instrument", listed, StringComparison.Ordinal);
        Assert.All(s_heavy, name => Assert.DoesNotContain(name, listed, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_core_package_adds_at_most_two_megabytes_and_no_native_library_to_a_publish_and_counts_its_calls()
    {
        string consumer = package.CreateConsumer("SlimConsumer");
        string with = Path.Combine(consumer, "out-with");
        string without = Path.Combine(consumer, "out-without");

        DotNet.Run(consumer, TimeSpan.FromMinutes(5), "publish", "-c", "Release", "-f", "net10.0", "-r", "linux-x64", "--self-contained", "false", "-o", with)
            .EnsureSuccess("publishing with the package");
        DotNet.Run(consumer, TimeSpan.FromMinutes(5), "publish", "-c", "Release", "-f", "net10.0", "-r", "linux-x64", "--self-contained", "false", "-o", without,
                "-p:MaranWithPackage=false", "-p:IntermediateOutputPath=obj/without/", "-p:BaseOutputPath=bin/without/")
            .EnsureSuccess("publishing without the package");

        long added = Size(with) - Size(without);
        output.WriteLine($"publish without the package: {Size(without)} bytes; with it: {Size(with)} bytes; added: {added} bytes");
        Assert.InRange(added, 1, 2 * 1024 * 1024);
        Assert.DoesNotContain(Directory.EnumerateFiles(with, "*", SearchOption.AllDirectories),
            static f => f.EndsWith(".so", StringComparison.Ordinal) || f.EndsWith(".dylib", StringComparison.Ordinal) || f.Contains(".so.", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(with, "runtimes")));

        DotNet.Result run = DotNet.Exec("dotnet", consumer, TimeSpan.FromMinutes(1), Path.Combine(with, "SlimConsumer.dll")).EnsureSuccess("running the published app");
        Assert.Contains("calls=3 features=0", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_net8_consumer_keeps_the_Microsoft_Extensions_8_line()
    {
        string consumer = package.CreateConsumer("SlimConsumer");
        DotNet.Run(consumer, TimeSpan.FromMinutes(5), "restore").EnsureSuccess("restoring the consumer");

        string listed = DotNet.Run(consumer, TimeSpan.FromMinutes(2), "list", "package", "--include-transitive", "--framework", "net8.0")
            .EnsureSuccess("listing its packages").Output;

        string[] versions = [.. ExtensionsPackage().Matches(listed).Select(static m => m.Groups["version"].Value)];
        output.WriteLine(listed);
        Assert.NotEmpty(versions);
        Assert.All(versions, version => Assert.StartsWith("8.", version, StringComparison.Ordinal));
    }

    private static long Size(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Sum(static f => new FileInfo(f).Length);

    // "   > Microsoft.Extensions.Primitives      8.0.0" (transitive) or "   > Microsoft.Extensions.Configuration   8.0.0   8.0.0" (top level).
    [GeneratedRegex(@">\s+Microsoft\.Extensions\.\S+\s+(?:\S+\s+)?(?<version>\d+\.\d+\.\d+\S*)\s*$", RegexOptions.Multiline)]
    private static partial Regex ExtensionsPackage();
}
