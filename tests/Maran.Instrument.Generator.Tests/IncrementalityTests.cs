using System.Collections;
using System.Reflection;
using Maran.Instrument.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Maran.Instrument.Generator.Tests;

/// <summary>
/// The pipeline caches: unrelated edits redo nothing (no file is bound again after an edit inside another file's
/// method body, no type is looked up again while the references are unchanged), declaration changes reach the call
/// sites of every file, and no step holds on to a Roslyn object.
/// </summary>
[Collection(ReferenceCacheCollection.Name)]
public class IncrementalityTests
{
    private const string Agent = """
        using Maran.Instrument;
        namespace App;
        public class Agent
        {
            [MonitorOperation("generate", "model")]
            public string Generate(string prompt) => prompt;
        }
        public static class Program
        {
            public static string Run() => new Agent().Generate("hi");
        }
        """;

    private const string Other = """
        namespace App;
        public static class Other
        {
            public static int Value() => 1;
        }
        """;

    private const string Caller = """
        namespace App;
        public static class Caller
        {
            public static string Again() => new Agent().Generate("again");
        }
        """;

    // A call of a monitored method after another body, which an edit lengthens.
    private const string Twice = """
        namespace App;
        public static class Twice
        {
            public static int Helper() => 1;
            public static string Again() => new Agent().Generate("again");
        }
        """;

    // A model API the project declares on a type of its own.
    private const string Gateway = """
        [assembly: Maran.Instrument.ModelApi(typeof(Vendor.Gateway), nameof(Vendor.Gateway.Complete))]
        namespace Vendor;
        public class Gateway
        {
            public string Complete(string prompt) => prompt;
        }
        """;

    private const string GatewayCaller = """
        namespace App;
        public static class GatewayCaller
        {
            public static string Ask() => new Vendor.Gateway().Complete("hi");
        }
        """;

    private static readonly string[] TrackedSteps =
        [InterceptorGenerator.Steps.CallSites, InterceptorGenerator.Steps.Files, InterceptorGenerator.Steps.Helpers, InterceptorGenerator.Steps.Enabled];

    private static (GeneratorRun First, CSharpCompilation Compilation) FirstRun()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation([("/src/Agent.cs", Agent), ("/src/Other.cs", Other)]);
        return (GeneratorHarness.Generate(compilation), compilation);
    }

    private static CSharpCompilation Replace(CSharpCompilation compilation, string path, string source)
    {
        SyntaxTree old = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions(), path));
    }

    private static IEnumerable<(string Step, IncrementalStepRunReason Reason)> Reasons(GeneratorRun run) =>
        run.Driver.GetRunResult().Results.Single().TrackedSteps
            .Where(step => TrackedSteps.Contains(step.Key))
            .SelectMany(step => step.Value.SelectMany(s => s.Outputs.Select(o => (step.Key, o.Reason))));

    [Fact]
    public void An_edit_in_an_unrelated_file_leaves_every_step_cached_or_unchanged()
    {
        var (first, compilation) = FirstRun();
        CSharpCompilation edited = Replace(compilation, "/src/Other.cs", Other.Replace("=> 1;", "=> 2; // edited", StringComparison.Ordinal));

        GeneratorRun second = GeneratorHarness.Generate(edited, first.Driver);

        var reasons = Reasons(second).ToList();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, r => Assert.True(
            r.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"step {r.Step} re-ran with reason {r.Reason}"));
        Assert.Equal(first.GeneratedText, second.GeneratedText);
    }

    [Fact]
    public void A_signature_change_of_a_monitored_method_regenerates_its_interceptor()
    {
        var (first, compilation) = FirstRun();
        CSharpCompilation edited = Replace(compilation, "/src/Agent.cs", Agent.Replace("string Generate(string prompt)", "string Generate(object prompt)", StringComparison.Ordinal));

        GeneratorRun second = GeneratorHarness.Generate(edited, first.Driver);

        Assert.Contains(Reasons(second), r => r.Step == InterceptorGenerator.Steps.Files && r.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("object @prompt", second.GeneratedText, StringComparison.Ordinal);
    }

    [Fact]
    public void An_edit_inside_a_method_body_of_an_unrelated_file_binds_no_file()
    {
        var (first, compilation) = FirstRun();
        CSharpCompilation edited = Replace(compilation, "/src/Other.cs", Other.Replace("=> 1;", "=> 1 + 1;", StringComparison.Ordinal));
        long before = CallSiteParser.FilesBound;

        GeneratorRun second = GeneratorHarness.Generate(edited, first.Driver);

        Assert.Equal(0, CallSiteParser.FilesBound - before);
        Assert.Equal(first.GeneratedText, second.GeneratedText);
    }

    [Fact]
    public void An_edit_inside_a_method_body_of_a_file_with_monitored_calls_binds_that_file_only()
    {
        var (first, compilation) = FirstRun();
        compilation = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(Caller, GeneratorHarness.ParseOptions(), "/src/Caller.cs"));
        GeneratorRun second = GeneratorHarness.Generate(compilation, first.Driver);
        CSharpCompilation edited = Replace(compilation, "/src/Caller.cs", Caller.Replace("\"again\"", "\"again!\"", StringComparison.Ordinal));
        long before = CallSiteParser.FilesBound;

        GeneratorRun third = GeneratorHarness.Generate(edited, second.Driver);

        Assert.Equal(1, CallSiteParser.FilesBound - before);
        Assert.Contains("Caller.cs(", third.GeneratedText, StringComparison.Ordinal);
    }

    [Fact]
    public void An_edit_inside_another_body_of_a_file_with_monitored_calls_binds_no_file_and_moves_the_interceptor_with_its_call()
    {
        var (first, compilation) = FirstRun();
        compilation = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(Twice, GeneratorHarness.ParseOptions(), "/src/Twice.cs"));
        GeneratorRun second = GeneratorHarness.Generate(compilation, first.Driver);
        CSharpCompilation edited = Replace(compilation, "/src/Twice.cs", Twice.Replace("=> 1;", "=> 1 + 1;", StringComparison.Ordinal));
        long before = CallSiteParser.FilesBound;

        GeneratorRun third = GeneratorHarness.Generate(edited, second.Driver);

        Assert.Equal(0, CallSiteParser.FilesBound - before);
        Assert.Contains("Twice.cs(", third.GeneratedText, StringComparison.Ordinal);
        Assert.NotEqual(second.GeneratedText, third.GeneratedText);
        Assert.Empty(third.Problems);
    }

    [Fact]
    public void An_edit_reads_the_syntax_of_the_edited_tree_once_and_of_no_other_tree()
    {
        var (first, compilation) = FirstRun();
        CSharpCompilation edited = Replace(compilation, "/src/Agent.cs", Agent.Replace("=> prompt;", "=> prompt + \"!\";", StringComparison.Ordinal));
        long before = TreeIndex.TreesWalked;

        GeneratorRun second = GeneratorHarness.Generate(edited, first.Driver);

        Assert.Equal(1, TreeIndex.TreesWalked - before);
        Assert.Contains("Agent.cs(", second.GeneratedText, StringComparison.Ordinal);
    }

    [Fact]
    public void An_edit_outside_the_bodies_of_a_file_with_monitored_calls_hashes_no_file_path_again()
    {
        var (first, compilation) = FirstRun();
        CSharpCompilation edited = Replace(compilation, "/src/Agent.cs", Agent + "\n// edited\n");
        long before = InterceptorGenerator.HintNamesComputed;

        GeneratorRun second = GeneratorHarness.Generate(edited, first.Driver);

        Assert.Equal(0, InterceptorGenerator.HintNamesComputed - before);
        Assert.Contains("Agent.cs(", second.GeneratedText, StringComparison.Ordinal);
        Assert.NotEqual(first.GeneratedText, second.GeneratedText);
    }

    // An operation that reaches a model call only through a method in another file.
    private const string Handler = """
        using System.Threading.Tasks;
        using Maran.Instrument;
        using Microsoft.Extensions.AI;
        namespace App;
        public static class Handler
        {
            public static Task<string> Route(IChatClient chat) => Handle(chat);

            [MonitorOperation("handle", "app")]
            public static async Task<string> Handle(IChatClient chat) => await Service.Answer(chat);
        }
        """;

    private const string Service = """
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        namespace App;
        public static class Service
        {
            public static async Task<string> Answer(IChatClient chat) => (await chat.GetResponseAsync("hi")).Text;

            public static string Other(string text) => text.Trim();
        }
        """;

    [Fact]
    public void An_edit_that_changes_no_call_does_not_search_again_for_the_operations_that_reach_a_model_call()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation([("/src/Handler.cs", Handler), ("/src/Service.cs", Service)], ModelCallTests.SdkReferences());
        GeneratorRun first = GeneratorHarness.Generate(compilation);
        CSharpCompilation edited = Replace(compilation, "/src/Service.cs", Service.Replace("text.Trim()", "text.Trim() + \"!\"", StringComparison.Ordinal));
        long before = AmbientOperations.Searches;

        GeneratorRun second = GeneratorHarness.Generate(edited, first.Driver);

        Assert.Equal(0, AmbientOperations.Searches - before);
        Assert.Contains("OperationScope.StartAmbient(", first.GeneratedText, StringComparison.Ordinal);
        Assert.Contains("OperationScope.StartAmbient(", second.GeneratedText, StringComparison.Ordinal);
    }

    [Fact]
    public void An_edit_that_takes_away_the_call_reaching_a_model_call_makes_the_operation_plain_again()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation([("/src/Handler.cs", Handler), ("/src/Service.cs", Service)], ModelCallTests.SdkReferences());
        GeneratorRun first = GeneratorHarness.Generate(compilation);
        CSharpCompilation edited = Replace(compilation, "/src/Handler.cs", Handler.Replace("await Service.Answer(chat)", "await Task.FromResult(Service.Other(\"hi\"))", StringComparison.Ordinal));
        long before = AmbientOperations.Searches;

        GeneratorRun second = GeneratorHarness.Generate(edited, first.Driver);

        Assert.Contains("OperationScope.StartAmbient(", first.GeneratedText, StringComparison.Ordinal);
        Assert.DoesNotContain("OperationScope.StartAmbient(", second.GeneratedText, StringComparison.Ordinal);
        Assert.Equal(1, AmbientOperations.Searches - before);
    }

    [Fact]
    public void A_file_whose_candidate_names_are_called_only_on_predefined_types_is_never_bound()
    {
        const string Texts = """
            namespace App;
            public static class Texts
            {
                public static string Label(int count) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{count} items");
            }
            """;
        const string Tools = """
            namespace App;
            public static class Tools
            {
                public static object Weather() => Microsoft.Extensions.AI.AIFunctionFactory.Create(() => "sunny", "weather");
            }
            """;
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(
            [("/src/Agent.cs", Agent), ("/src/Texts.cs", Texts), ("/src/Tools.cs", Tools)],
            ModelCallTests.SdkReferences());
        long before = CallSiteParser.FilesBound;

        GeneratorRun run = GeneratorHarness.Generate(compilation);

        Assert.Equal(2, CallSiteParser.FilesBound - before);
        Assert.Empty(run.Problems);
        Assert.Contains("Tools.cs(", run.GeneratedText, StringComparison.Ordinal);
        Assert.DoesNotContain("Texts.cs(", run.GeneratedText, StringComparison.Ordinal);
    }

    [Fact]
    public void An_edit_inside_a_method_body_of_a_file_with_monitored_calls_looks_up_no_type_in_the_references()
    {
        var (first, compilation) = FirstRun();
        compilation = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(Caller, GeneratorHarness.ParseOptions(), "/src/Caller.cs"));
        GeneratorRun second = GeneratorHarness.Generate(compilation, first.Driver);
        CSharpCompilation edited = Replace(compilation, "/src/Caller.cs", Caller.Replace("\"again\"", "\"again!\"", StringComparison.Ordinal));
        long before = ReferenceCache.Resolved;

        GeneratorRun third = GeneratorHarness.Generate(edited, second.Driver);

        Assert.Equal(0, ReferenceCache.Resolved - before);
        Assert.Contains("Caller.cs(", third.GeneratedText, StringComparison.Ordinal);
    }

    [Fact]
    public void An_edit_inside_a_method_body_of_a_file_with_monitored_calls_examines_no_monitored_method_of_another_file_again()
    {
        var (first, compilation) = FirstRun();
        compilation = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(Caller, GeneratorHarness.ParseOptions(), "/src/Caller.cs"));
        GeneratorRun second = GeneratorHarness.Generate(compilation, first.Driver);
        CSharpCompilation edited = Replace(compilation, "/src/Caller.cs", Caller.Replace("\"again\"", "\"again!\"", StringComparison.Ordinal));
        long before = CallSiteParser.MethodsExamined;

        GeneratorRun third = GeneratorHarness.Generate(edited, second.Driver);

        Assert.Equal(0, CallSiteParser.MethodsExamined - before);
        Assert.Contains("Caller.cs(", third.GeneratedText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_reference_looks_the_known_types_and_the_model_apis_up_again()
    {
        var (first, compilation) = FirstRun();
        CSharpCompilation referenced = GeneratorHarness.CreateCompilation([("/lib/Gateway.cs", Gateway)], assemblyName: "Gateway");
        CSharpCompilation edited = compilation
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText(GatewayCaller, GeneratorHarness.ParseOptions(), "/src/GatewayCaller.cs"))
            .AddReferences(referenced.ToMetadataReference());
        long before = ReferenceCache.Resolved;

        GeneratorRun second = GeneratorHarness.Generate(edited, first.Driver);

        Assert.Equal(2, ReferenceCache.Resolved - before);
        Assert.Contains("Gateway.Complete", second.GeneratedText, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_apis_that_name_a_type_declared_in_source_are_looked_up_again_after_each_edit()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation([("/src/Gateway.cs", Gateway), ("/src/GatewayCaller.cs", GatewayCaller), ("/src/Other.cs", Other)]);
        GeneratorRun first = GeneratorHarness.Generate(compilation);
        CSharpCompilation edited = Replace(compilation, "/src/GatewayCaller.cs", GatewayCaller.Replace("\"hi\"", "\"hi!\"", StringComparison.Ordinal));
        long before = ReferenceCache.Resolved;

        GeneratorRun second = GeneratorHarness.Generate(edited, first.Driver);

        Assert.Equal(1, ReferenceCache.Resolved - before);
        Assert.Contains("Gateway.Complete", first.GeneratedText, StringComparison.Ordinal);
        Assert.Contains("GatewayCaller.cs(", second.GeneratedText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_change_of_a_monitored_method_regenerates_its_interceptors_in_other_files()
    {
        var (first, compilation) = FirstRun();
        compilation = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(Caller, GeneratorHarness.ParseOptions(), "/src/Caller.cs"));
        GeneratorRun second = GeneratorHarness.Generate(compilation, first.Driver);
        CSharpCompilation edited = Replace(compilation, "/src/Agent.cs", Agent.Replace("string Generate(string prompt)", "string Generate(object prompt)", StringComparison.Ordinal));

        GeneratorRun third = GeneratorHarness.Generate(edited, second.Driver);

        string caller = third.GeneratedTrees.Single(t => t.FilePath.Contains("Caller.", StringComparison.Ordinal)).ToString();
        Assert.Contains("object @prompt", caller, StringComparison.Ordinal);
        Assert.DoesNotContain("string @prompt", caller, StringComparison.Ordinal);
    }

    [Fact]
    public void A_compilation_whose_resolvers_cannot_be_hashed_still_gets_its_interceptors()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation([("/src/Agent.cs", Agent), ("/src/Other.cs", Other)]);
        compilation = compilation.WithOptions(compilation.Options.WithMetadataReferenceResolver(new UnhashableResolver()));

        GeneratorRun run = GeneratorHarness.Generate(compilation);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains("Agent.cs(", run.GeneratedText, StringComparison.Ordinal);
    }

    // As some of the compiler's own resolvers are: equality is implemented, hashing is not.
    private sealed class UnhashableResolver : MetadataReferenceResolver
    {
        public override bool Equals(object? other) => ReferenceEquals(this, other);

        public override int GetHashCode() => throw new NotImplementedException();

        public override System.Collections.Immutable.ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) => [];
    }

    [Fact]
    public void No_pipeline_step_holds_a_symbol_syntax_node_semantic_model_or_compilation()
    {
        var (first, _) = FirstRun();

        var steps = first.Driver.GetRunResult().Results.Single().TrackedSteps;
        Assert.Contains(InterceptorGenerator.Steps.CallSites, steps.Keys);
        foreach (var step in steps.Where(s => TrackedSteps.Contains(s.Key)))
        {
            foreach (var output in step.Value.SelectMany(s => s.Outputs))
            {
                AssertNoRoslynObjects(output.Value, step.Key, new HashSet<object>(ReferenceEqualityComparer.Instance));
            }
        }
    }

    private static void AssertNoRoslynObjects(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Type type = value.GetType();
        Assert.False(
            value is ISymbol or SyntaxNode or SyntaxTree or SemanticModel or Compilation or IOperation,
            $"{path} holds a {type.FullName}, which would keep an old compilation alive and defeat caching");

        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items)
            {
                AssertNoRoslynObjects(item, $"{path}[{i++}]", seen);
            }

            return;
        }

        foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertNoRoslynObjects(field.GetValue(value), $"{path}.{field.Name}", seen);
        }
    }
}
