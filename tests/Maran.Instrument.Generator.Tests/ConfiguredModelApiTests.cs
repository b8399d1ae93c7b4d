using System.Reflection;
using Maran.Instrument.Profiling;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using OperationKind = Maran.Instrument.Profiling.OperationKind;

namespace Maran.Instrument.Generator.Tests;

/// <summary>
/// Model APIs a project lists in its global analyzer config (<c>maran_instrument.model_apis</c>) are intercepted like
/// the catalog's: timed, their tokens read and owned by the monitored operation around them; unlisted, they are not.
/// </summary>
[Collection(RuntimeSwitches.Name)]
public sealed class ConfiguredModelApiTests
{
    private const string Option = "maran_instrument.model_apis";

    private const string Vendor = """
        using System.Threading.Tasks;
        using Maran.Instrument;
        using Microsoft.Extensions.AI;

        namespace Vendor
        {
            public sealed class Gateway
            {
                public Task<ChatResponse> CompleteAsync(string prompt) =>
                    Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "re: " + prompt))
                    {
                        ModelId = "vendor-large",
                        Usage = new UsageDetails { InputTokenCount = 120, OutputTokenCount = 12 },
                    });

                public string Status() => "ok";
            }

            public static class Embedder
            {
                public static float[] Embed(string text) => [text.Length];

                public static float[] EmbedTwice(string text) => [text.Length, text.Length];
            }
        }

        namespace App
        {
            public static class Program
            {
                [MonitorOperation("ask", "configured")]
                public static async Task<string> AskAsync(Vendor.Gateway gateway)
                {
                    ChatResponse response = await gateway.CompleteAsync("hi");
                    return response.Text + gateway.Status();
                }

                public static float Embed() => Vendor.Embedder.Embed("abc")[0] + Vendor.Embedder.EmbedTwice("de")[1];
            }
        }
        """;

    private const string Other = """
        namespace App;
        public static class Other
        {
            public static int Value() => 1;
        }
        """;

    private static CSharpCompilation Compilation(string name) =>
        GeneratorHarness.CreateCompilation([("/src/Vendor.cs", Vendor), ("/src/Other.cs", Other)], ModelCallTests.SdkReferences(), assemblyName: name);

    private static GeneratorDriver Driver(string? option) =>
        CSharpGeneratorDriver.Create(
            [new InterceptorGenerator().AsSourceGenerator()],
            parseOptions: GeneratorHarness.ParseOptions(),
            optionsProvider: option is null ? new BuildProperties() : new BuildProperties((Option, option)),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    [Fact]
    public async Task Calls_of_the_listed_methods_are_model_calls_whose_tokens_belong_to_the_operation_around_them()
    {
        GeneratorRun run = GeneratorHarness.Generate(Compilation("ConfiguredApis"), Driver("M:Vendor.Gateway.CompleteAsync, Vendor.Embedder.*"));
        Assembly assembly = run.Load();
        var usages = new UsageRecorder();
        OperationEvents.SubscribeUsage(usages);
        try
        {
            var gateway = Activator.CreateInstance(assembly.GetType("Vendor.Gateway")!)!;
            var task = (Task<string>)GeneratorHarness.Invoke(assembly, "App.Program", "AskAsync", gateway)!;
            Assert.Equal("re: hiok", await task);
            Assert.Equal(5f, GeneratorHarness.Invoke(assembly, "App.Program", "Embed"));
        }
        finally
        {
            OperationEvents.UnsubscribeUsage(usages);
        }

        OperationRecorder complete = OperationRegistry.Find("Gateway.CompleteAsync", "model")!;
        Assert.Equal(OperationKind.ModelCall, complete.Kind);
        Assert.True(complete.Snapshot().Succeeded >= 1);
        Assert.Equal([(120L, 12L, "vendor-large")], usages.Of("configured", "ask").Select(u => (u.InputTokens, u.OutputTokens, u.Model)));
        Assert.True(OperationRegistry.Find("Embedder.Embed", "model")!.Snapshot().Succeeded >= 1);
        Assert.True(OperationRegistry.Find("Embedder.EmbedTwice", "model")!.Snapshot().Succeeded >= 1);
        Assert.DoesNotContain("Gateway.Status", run.GeneratedText, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_option_the_same_calls_are_left_alone()
    {
        GeneratorRun run = GeneratorHarness.Generate(Compilation("UnconfiguredApis"), Driver(null));

        Assert.Empty(run.Problems);
        Assert.Empty(run.GeneratedTrees);
    }

    [Fact]
    public void Entries_that_name_no_method_are_ignored_and_the_valid_ones_still_apply()
    {
        GeneratorRun run = GeneratorHarness.Generate(Compilation("PartlyConfiguredApis"), Driver("Vendor.Gateway.Missing, NoSuch.Type.Call, justaword, Vendor.Embedder.Embed"));

        Assert.Empty(run.Problems);
        Assert.Contains("Model calls of Embedder.Embed (chat)", run.GeneratedText, StringComparison.Ordinal);
        Assert.DoesNotContain("Embedder.EmbedTwice", run.GeneratedText, StringComparison.Ordinal);
        Assert.DoesNotContain("Gateway.", run.GeneratedText, StringComparison.Ordinal);
    }

    [Fact]
    public void An_edit_in_an_unrelated_file_leaves_the_configured_call_sites_and_the_files_unchanged()
    {
        CSharpCompilation compilation = Compilation("ConfiguredIncremental");
        GeneratorRun first = GeneratorHarness.Generate(compilation, Driver("Vendor.Gateway.CompleteAsync"));
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(t => t.FilePath == "/src/Other.cs"),
            CSharpSyntaxTree.ParseText(Other.Replace("=> 1;", "=> 2;", StringComparison.Ordinal), GeneratorHarness.ParseOptions(), "/src/Other.cs"));

        GeneratorRun second = GeneratorHarness.Generate(edited, first.Driver);

        var steps = second.Driver.GetRunResult().Results.Single().TrackedSteps;
        Assert.All(
            steps[InterceptorGenerator.Steps.ConfiguredCallSites].SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Unchanged, o.Reason));
        Assert.All(
            steps[InterceptorGenerator.Steps.Files].SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"Files re-ran: {o.Reason}"));
        Assert.Contains("Gateway.CompleteAsync", second.GeneratedText, StringComparison.Ordinal);
    }
}
