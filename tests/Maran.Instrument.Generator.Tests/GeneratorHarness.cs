using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Maran.Instrument.Profiling;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Maran.Instrument.Generator.Tests;

/// <summary>Compiles a scenario with the generator the way the SDK does, and runs the result in this process.</summary>
internal static class GeneratorHarness
{
    public const string InterceptorsNamespace = "Maran.Instrument.Generated";

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                        || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll" or "Microsoft.Win32.Primitives.dll")
            .Append(typeof(OperationScope).Assembly.Location)
            .Distinct();
        return [.. paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    });

    public static CSharpParseOptions ParseOptions(bool interceptorsEnabled = true) =>
        CSharpParseOptions.Default
            .WithLanguageVersion(LanguageVersion.Preview)
            .WithFeatures(interceptorsEnabled ? [new("InterceptorsNamespaces", InterceptorsNamespace)] : []);

    public static string ScenarioSource(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Scenarios", name + ".cs"));

    public static CSharpCompilation CreateCompilation(IEnumerable<(string Path, string Source)> sources, IEnumerable<MetadataReference>? extraReferences = null, string assemblyName = "Scenario") =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Source, ParseOptions(), s.Path)),
            s_references.Value.AddRange(extraReferences ?? []),
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                allowUnsafe: true,
                optimizationLevel: OptimizationLevel.Release));

    public static GeneratorDriver CreateDriver(CSharpParseOptions parseOptions) =>
        CSharpGeneratorDriver.Create(
            [new InterceptorGenerator().AsSourceGenerator()],
            parseOptions: parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Generate(CSharpCompilation compilation, GeneratorDriver? driver = null)
    {
        driver ??= CreateDriver(ParseOptions());
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        return new GeneratorRun(driver, (CSharpCompilation)output, generatorDiagnostics);
    }

    /// <summary>Generates, checks that the result compiles without a warning, and loads it.</summary>
    public static (GeneratorRun Run, Assembly Assembly) CompileAndLoad(string scenario, params (string Name, byte[] Image)[] libraries)
    {
        CSharpCompilation compilation = CreateCompilation(
            [($"/src/{scenario}.cs", ScenarioSource(scenario))],
            libraries.Select(l => (MetadataReference)MetadataReference.CreateFromImage(l.Image)),
            assemblyName: scenario);
        GeneratorRun run = Generate(compilation);
        Assembly assembly = run.Load(libraries);
        return (run, assembly);
    }

    /// <summary>Compiles a library scenario without the generator, as a separately built assembly would be.</summary>
    public static (string Name, byte[] Image) CompileLibrary(string scenario)
    {
        CSharpCompilation compilation = CreateCompilation([($"/src/{scenario}.cs", ScenarioSource(scenario))], assemblyName: scenario);
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return (scenario, stream.ToArray());
    }

    public static object? Invoke(Assembly assembly, string type, string method, params object?[] arguments)
    {
        MethodInfo target = assembly.GetType(type, throwOnError: true)!.GetMethod(method, BindingFlags.Public | BindingFlags.Static)
                            ?? throw new MissingMethodException(type, method);
        try
        {
            return target.Invoke(null, arguments);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }
}

/// <summary>One generator run: the driver (for incrementality checks), the compilation with generated code, diagnostics.</summary>
internal sealed record GeneratorRun(GeneratorDriver Driver, CSharpCompilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    public IReadOnlyList<SyntaxTree> GeneratedTrees =>
        [.. Output.SyntaxTrees.Where(t => t.FilePath.EndsWith(".Maran.g.cs", StringComparison.Ordinal))];

    public string GeneratedText => string.Join("\n", GeneratedTrees.Select(t => t.ToString()));

    /// <summary>Every warning or error of the compilation including generated code.</summary>
    public IReadOnlyList<Diagnostic> Problems =>
        [.. GeneratorDiagnostics.Concat(Output.GetDiagnostics()).Where(d => d.Severity >= DiagnosticSeverity.Warning)];

    public Assembly Load(params (string Name, byte[] Image)[] libraries)
    {
        using var stream = new MemoryStream();
        var result = Output.Emit(stream);
        if (!result.Success || Problems.Count > 0)
        {
            throw new InvalidOperationException(
                "The scenario did not compile cleanly:\n" + string.Join("\n", Problems.Select(p => p.ToString())) + "\n\n" + GeneratedText);
        }

        stream.Position = 0;
        var context = new AssemblyLoadContext(Output.AssemblyName, isCollectible: true);
        foreach ((string _, byte[] image) in libraries)
        {
            context.LoadFromStream(new MemoryStream(image));
        }

        return context.LoadFromStream(stream);
    }
}
