using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Maran.Instrument.Analyzers.Tests;

/// <summary>
/// MARAN008: calls in Razor markup. A stand-in generator adds, under the Razor generator's hint name, the C# the Razor
/// generator writes for a component (Sources/Razor/Counter_razor.g.cs, its real output for this markup), so the tree
/// reaches the analyzer as a generated tree does in a build.
/// </summary>
public class RazorCallAnalyzerTests
{
    private static readonly string s_sources = Path.Combine(AppContext.BaseDirectory, "Sources");

    [Fact]
    public async Task Monitored_methods_and_model_apis_called_from_a_component_are_reported_at_their_place_in_the_markup()
    {
        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync("Components/Pages/Counter_razor.g.cs");

        Assert.Equal(
            [
                "Counter.razor(11,23): 'ChatClientExtensions.GetResponseAsync' is called from 'Counter.razor'",
                "Counter.razor(4,5): 'Service.Ask' is called from 'Counter.razor'",
                "Counter.razor(5,19): 'Service.Run' is called from 'Counter.razor'",
            ],
            diagnostics.Select(Describe).Order(StringComparer.Ordinal));
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.All(diagnostics, d => Assert.EndsWith(
            "so this call is not measured; call it from a method in a .cs file (a code-behind partial class), or time it with profiler.Operation(...)",
            d.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_hint_name_of_older_SDKs_with_folders_flattened_is_recognised()
    {
        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync("Components_Pages_Counter_razor.g.cs");

        Assert.Equal(3, diagnostics.Length);
    }

    [Fact]
    public async Task The_same_code_compiled_as_an_ordinary_file_is_not_reported_because_the_generator_sees_it()
    {
        // The legacy MSBuild Razor compile (UseRazorSourceGenerator=false) writes Counter.razor.g.cs into obj/ as a source file.
        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync("Components/Pages/Counter.razor.g.cs", generated: false);

        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task A_real_Razor_build_reports_the_call_at_its_line_in_the_component()
    {
        string project = Directory.CreateTempSubdirectory("maran-razor-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(project, "NuGet.config"), "<configuration><packageSources><clear /></packageSources></configuration>");
            File.WriteAllText(Path.Combine(project, "App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk.Razor">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                  </PropertyGroup>
                  <ItemGroup>
                    <FrameworkReference Include="Microsoft.AspNetCore.App" />
                    <Reference Include="{typeof(MonitorOperationAttribute).Assembly.Location}" />
                    <Analyzer Include="{typeof(RazorCallAnalyzer).Assembly.Location}" />
                  </ItemGroup>
                </Project>
                """);
            File.Copy(Path.Combine(s_sources, "RazorService.cs"), Path.Combine(project, "Service.cs"));
            Directory.CreateDirectory(Path.Combine(project, "Components"));
            File.WriteAllText(Path.Combine(project, "Components", "Ask.razor"), """
                @inject App.Service Svc

                <p>@Svc.Ask("markup")</p>
                <p>@Svc.Plain()</p>
                """);

            string output = await BuildAsync(project);

            Assert.Contains("Ask.razor(3,5): warning MARAN008: 'Service.Ask' is called from 'Ask.razor'", output, StringComparison.Ordinal);
            Assert.DoesNotContain("'Service.Plain'", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    private static async Task<string> BuildAsync(string project)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[] { "build", "-nologo", "--disable-build-servers", "-p:RunAnalyzersDuringBuild=true" })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output + await error);
        return output;
    }

    private static string Describe(Diagnostic diagnostic)
    {
        FileLinePositionSpan mapped = diagnostic.Location.GetMappedLineSpan();
        string message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        return $"{Path.GetFileName(mapped.Path)}({mapped.StartLinePosition.Line + 1},{mapped.StartLinePosition.Character + 1}): {message[..(message.IndexOf(", whose", StringComparison.Ordinal))]}";
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string hintName, bool generated = true)
    {
        string razorOutput = File.ReadAllText(Path.Combine(s_sources, "Razor", "Counter_razor.g.cs"));
        CSharpParseOptions parseOptions = TestReferences.ParseOptions(interceptorsEnabled: true);
        var trees = new List<SyntaxTree> { CSharpSyntaxTree.ParseText(File.ReadAllText(Path.Combine(s_sources, "RazorService.cs")), parseOptions, "/app/Service.cs") };
        if (!generated)
        {
            trees.Add(CSharpSyntaxTree.ParseText(razorOutput, parseOptions, "/app/obj/Debug/net10.0/Razor/" + hintName));
        }

        Compilation compilation = CSharpCompilation.Create(
            "App",
            trees,
            [.. TestReferences.Framework, .. TestReferences.Libraries(TestReferences.ExtensionsAI), .. AspNetCoreReferences()],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        if (generated)
        {
            CSharpGeneratorDriver.Create([new RazorOutput(hintName, razorOutput).AsSourceGenerator()], parseOptions: parseOptions)
                .RunGeneratorsAndUpdateCompilation(compilation, out compilation, out _);
        }

        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
        return await compilation.WithAnalyzers([new RazorCallAnalyzer()]).GetAnalyzerDiagnosticsAsync();
    }

    // ComponentBase, RenderTreeBuilder and EventCallback: the ASP.NET Core shared framework installed beside this one.
    private static IEnumerable<MetadataReference> AspNetCoreReferences()
    {
        string netCore = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string aspNetCore = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(netCore))!, "Microsoft.AspNetCore.App", Path.GetFileName(netCore));
        return new[] { "Microsoft.AspNetCore.Components.dll", "Microsoft.AspNetCore.Components.Web.dll" }
            .Select(f => MetadataReference.CreateFromFile(Path.Combine(aspNetCore, f)));
    }

    /// <summary>Adds one file under a hint name, as the Razor source generator adds each component's C#.</summary>
    private sealed class RazorOutput(string hintName, string source) : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context) =>
            context.RegisterPostInitializationOutput(c => c.AddSource(hintName, SourceText.From(source, System.Text.Encoding.UTF8)));
    }
}
