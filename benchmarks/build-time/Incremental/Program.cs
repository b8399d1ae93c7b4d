using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Maran.Instrument.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

// Usage: Incremental PROJECT_DIR [EDITS=25] [WARMUP=3]
// Compiles the .cs files of PROJECT_DIR against this program's own references (the shared framework, the runtime,
// Microsoft.Extensions.AI), runs the generator once, then in turn edits one character of an unrelated file, of a file
// with monitored calls outside its bodies, and inside the body that holds one of those calls, running the same driver
// after each edit, and prints the medians: the driver's elapsed
// time, the process's CPU time over it, and each tracked step's. WARMUP rounds of edits come first and are not counted:
// Roslyn's assemblies from NuGet are not precompiled, so the first few hundred rounds run partly unoptimized code while
// the runtime's tiered compilation thread compiles it again (its CPU time counts in the process's).
// MARAN_EDITS=monitored (or unrelated, or "monitored body") makes only that edit, for a profiler.
string directory = args.Length > 0 ? args[0] : throw new ArgumentException("usage: Incremental PROJECT_DIR [EDITS]");
int edits = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 25;
int warmup = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3;

CSharpParseOptions parseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview)
    .WithFeatures([new("InterceptorsNamespaces", "Maran.Instrument.Generated")]);
var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
    .Where(p => !Path.GetFileName(p).StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
    .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
    .ToList();
string[] paths = [.. Directory.GetFiles(directory, "*.cs").Order(StringComparer.Ordinal)];
// The unrelated file: ordinary code that calls no monitored method, added to the project.
const string Unrelated = """
    namespace Measured;
    public static class Unrelated
    {
        public static string Describe(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(4, '0').Trim();
    }
    """;
CSharpCompilation compilation = CSharpCompilation.Create(
    "Measured",
    paths.Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), parseOptions, p))
        .Append(CSharpSyntaxTree.ParseText(Unrelated, parseOptions, Path.Combine(directory, "Unrelated.edited.cs"))),
    references,
    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

// The edited file with monitored calls is the first file whose calls the generator intercepts.
// Floors: MARAN_FLOOR=1, a generator that visits every invocation with its semantic model and finds nothing;
// MARAN_FLOOR=2, one that registers a single output of nothing (what the driver costs per run by itself).
ISourceGenerator measured = Environment.GetEnvironmentVariable("MARAN_FLOOR") switch
{
    "1" => new FloorGenerator().AsSourceGenerator(),
    "2" => new EmptyGenerator().AsSourceGenerator(),
    "3" => new FileFloorGenerator().AsSourceGenerator(),
    _ => new InterceptorGenerator().AsSourceGenerator(),
};
GeneratorDriver driver = CSharpGeneratorDriver.Create(
    [measured],
    parseOptions: parseOptions,
    driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
var watch = Stopwatch.StartNew();
driver = driver.RunGenerators(compilation);
TimeSpan first = watch.Elapsed;
GeneratorDriverRunResult firstResult = driver.GetRunResult();
var generatedPaths = firstResult.Results[0].GeneratedSources.Select(s => s.HintName).ToList();
if (Environment.GetEnvironmentVariable("MARAN_GENERATED_DIR") is { Length: > 0 } dump)
{
    Directory.CreateDirectory(dump);
    foreach (GeneratedSourceResult source in firstResult.Results[0].GeneratedSources)
    {
        File.WriteAllText(Path.Combine(dump, source.HintName), source.SourceText.ToString());
    }
}

SyntaxTree? monitored = compilation.SyntaxTrees.FirstOrDefault(t => firstResult.Results[0].GeneratedSources.Any(s => s.SourceText.ToString().Contains(Path.GetFileName(t.FilePath) + "(", StringComparison.Ordinal)));
SyntaxTree unrelated = compilation.SyntaxTrees.Last();
Console.WriteLine($"{paths.Length} files, {compilation.SyntaxTrees.Sum(t => t.GetRoot().DescendantNodes().Count(n => n is Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax))} invocations, {generatedPaths.Count} generated files, {firstResult.Results[0].GeneratedSources.Sum(s => s.SourceText.Length) / 1024} KiB generated");
Console.WriteLine($"first run (cold: JIT, binding, every file): {first.TotalMilliseconds:F0} ms");
SyntaxTree withCalls = monitored ?? compilation.SyntaxTrees.First();
Console.WriteLine($"unrelated edit in {Path.GetFileName(unrelated.FilePath)}, monitored edit in {Path.GetFileName(withCalls.FilePath)}");

// CPU time as well as elapsed time: on a shared machine the elapsed time includes waiting for a core.
using var process = Process.GetCurrentProcess();
// The body edit goes into the body that holds the first intercepted call of the monitored file.
Match firstSite = Regex.Match(string.Concat(firstResult.Results[0].GeneratedSources.Select(s => s.SourceText.ToString())), Regex.Escape(Path.GetFileName(withCalls.FilePath)) + @"\((\d+),(\d+)\)");
int firstCall = firstSite.Success ? withCalls.GetText().Lines[int.Parse(firstSite.Groups[1].Value, CultureInfo.InvariantCulture) - 1].Start + int.Parse(firstSite.Groups[2].Value, CultureInfo.InvariantCulture) - 1 : 0;
Console.WriteLine($"monitored body edit: a comment at the start of the body holding the call at {Path.GetFileName(withCalls.FilePath)}({firstSite.Groups[1].Value},{firstSite.Groups[2].Value})");

var samples = new Dictionary<string, List<(double Total, Dictionary<string, double> Steps)>> { ["unrelated"] = [], ["monitored"] = [], ["monitored body"] = [] };
if (!firstSite.Success)
{
    // A floor generator intercepts nothing, so there is no body with a call to edit.
    samples.Remove("monitored body");
}

if (Environment.GetEnvironmentVariable("MARAN_EDITS") is { Length: > 0 } only)
{
    samples = samples.Where(s => s.Key == only).ToDictionary();
}

for (int i = 0; i < edits + warmup; i++)
{
    foreach (string kind in samples.Keys)
    {
        SyntaxTree tree = compilation.SyntaxTrees.Single(t => t.FilePath == (kind == "unrelated" ? unrelated : withCalls).FilePath);
        string text = tree.ToString();
        // Unrelated and monitored: one character of a comment that ends the file, so the tree changes and no body does.
        // Monitored body: one character of a comment that starts the body with the call, which that body's calls are bound again for.
        string edited = kind == "monitored body" ? EditBody(tree, firstCall)
            : text.EndsWith("//a\n", StringComparison.Ordinal) ? text[..^4] + "//b\n" : text.TrimEnd('\n', 'b', 'a', '/') + "\n//a\n";
        compilation = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(edited, parseOptions, tree.FilePath));
        process.Refresh();
        TimeSpan cpuBefore = process.TotalProcessorTime;
        double threadBefore = ThreadCpu.Milliseconds();
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        int collectionsBefore = GC.CollectionCount(0);
        watch.Restart();
        driver = driver.RunGenerators(compilation);
        double total = watch.Elapsed.TotalMilliseconds;
        double threadCpu = ThreadCpu.Milliseconds() - threadBefore;
        double allocated = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / 1024.0;
        int collections = GC.CollectionCount(0) - collectionsBefore;
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
        GeneratorRunResult result = driver.GetRunResult().Results[0];
        var steps = result.TrackedSteps.ToDictionary(s => s.Key, s => s.Value.Sum(r => r.ElapsedTime.TotalMilliseconds));
        steps["(generator, as the driver times it)"] = driver.GetTimingInfo().GeneratorTimes[0].ElapsedTime.TotalMilliseconds;
        steps["(process CPU over the driver run)"] = cpu;
        steps["(CPU of the driver's thread)"] = threadCpu;
        steps["(KiB allocated by the driver's thread)"] = allocated;
        steps["(gen0 collections, mean per run)"] = collections;
        if (i >= warmup)
        {
            samples[kind].Add((total, steps));
        }
    }
}

foreach ((string kind, var runs) in samples)
{
    Console.WriteLine();
    Console.WriteLine($"{kind} edit, median of {runs.Count}: {Median(runs.Select(r => r.Total)):F2} ms for the driver run");
    foreach (string step in runs[0].Steps.Keys.Order(StringComparer.Ordinal))
    {
        IEnumerable<double> values = runs.Select(r => r.Steps.GetValueOrDefault(step));
        Console.WriteLine(step.StartsWith("(gen0", StringComparison.Ordinal) ? $"  {step,-40} {values.Average():F3}"
            : step.StartsWith("(KiB", StringComparison.Ordinal) ? $"  {step,-40} {Median(values):F0} KiB" : $"  {step,-40} {Median(values):F3} ms");
    }
}

// The process's threads by CPU time over the whole run, to tell the driver's thread from the runtime's background ones.
Console.WriteLine();
Console.WriteLine("threads by CPU time over the whole run (the first run included):");
foreach ((string name, double ms) in Directory.GetDirectories("/proc/self/task")
    .Select(task => (Name: File.ReadAllText(Path.Combine(task, "comm")).Trim(), Fields: File.ReadAllText(Path.Combine(task, "stat")).Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)))
    .Select(t => (t.Name, Ms: (long.Parse(t.Fields[11], CultureInfo.InvariantCulture) + long.Parse(t.Fields[12], CultureInfo.InvariantCulture)) * 10.0))
    .Where(t => t.Ms > 0)
    .OrderByDescending(t => t.Ms))
{
    Console.WriteLine($"  {name,-20} {ms,8:F0} ms");
}

static string EditBody(SyntaxTree tree, int position)
{
    SyntaxNode body = tree.GetRoot().FindToken(position).Parent!.AncestorsAndSelf()
        .First(n => n is BlockSyntax { Parent: BaseMethodDeclarationSyntax or AccessorDeclarationSyntax } or ArrowExpressionClauseSyntax);
    int at = body.SpanStart + (body is BlockSyntax ? 1 : 2);
    string text = tree.ToString();
    string marker = text.Substring(at, 5);
    return marker switch
    {
        "/*a*/" => text[..at] + "/*b*/" + text[(at + 5)..],
        "/*b*/" => text[..at] + "/*a*/" + text[(at + 5)..],
        _ => text[..at] + "/*a*/" + text[at..],
    };
}

static double Median(IEnumerable<double> values)
{
    double[] sorted = [.. values.Order()];
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

/// <summary>The CPU time of the calling thread, apart from the GC's and the JIT's background threads (Linux).</summary>
internal static class ThreadCpu
{
    private const int ClockThreadCpuTime = 3;

    public static double Milliseconds() => ClockGetTime(ClockThreadCpuTime, out TimeSpec time) == 0 ? (time.Seconds * 1e3) + (time.Nanoseconds / 1e6) : double.NaN;

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code in this tool.
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);
#pragma warning restore SYSLIB1054

    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}

/// <summary>The least an invocation-driven generator costs: every invocation reaches a transform that returns nothing.</summary>
internal sealed class FloorGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var calls = context.SyntaxProvider
            .CreateSyntaxProvider(static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax, static (c, _) => c.SemanticModel.Compilation is null ? "never" : string.Empty)
            .Where(static c => c.Length > 0)
            .Collect();
        context.RegisterSourceOutput(calls, static (_, _) => { });
    }
}

/// <summary>A generator with one output that depends on the compilation and does nothing.</summary>
internal sealed class EmptyGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context) =>
        context.RegisterSourceOutput(context.CompilationProvider.Select(static (c, _) => c.AssemblyName), static (_, _) => { });
}

/// <summary>A generator with one syntax node per file that passes the tree through: the floor of a per-file pipeline.</summary>
internal sealed class FileFloorGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var files = context.SyntaxProvider
            .CreateSyntaxProvider(static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax, static (c, _) => c.Node.SyntaxTree.FilePath)
            .Collect();
        context.RegisterSourceOutput(files, static (_, _) => { });
    }
}
