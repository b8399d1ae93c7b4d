using Maran.Instrument.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Maran.Instrument.Analyzers.Tests;

/// <summary>MARAN002's fix for a call through an interface: the implementation's [MonitorOperation] goes on the interface method too.</summary>
public class MonitorInterfaceMethodCodeFixTests
{
    private static Task VerifyAsync(string source, string fixedSource, Verify.Options? options = null) =>
        Verify.CodeFixAsync<UnreachableCallAnalyzer, MonitorInterfaceMethodCodeFixProvider>(source, fixedSource, options);

    [Fact]
    public async Task The_interface_method_gets_the_same_arguments_and_the_call_is_then_intercepted()
    {
        await VerifyAsync(
            """
            using Maran.Instrument;

            public interface IScorer
            {
                /// <summary>Scores a text.</summary>
                int Score(string text);
            }

            public class Scorer : IScorer
            {
                private const string Component = "ranking";

                [MonitorOperation("score", Component, Model = "scorer-v2")]
                public int Score(string text) => text.Length;
            }

            public static class Program
            {
                public static int Run(IScorer scorer, Scorer concrete) => {|MARAN002:scorer.Score("a")|} + concrete.Score("b");
            }
            """,
            """
            using Maran.Instrument;

            public interface IScorer
            {
                /// <summary>Scores a text.</summary>
                [MonitorOperation("score", "ranking", Model = "scorer-v2")]
                int Score(string text);
            }

            public class Scorer : IScorer
            {
                private const string Component = "ranking";

                [MonitorOperation("score", Component, Model = "scorer-v2")]
                public int Score(string text) => text.Length;
            }

            public static class Program
            {
                public static int Run(IScorer scorer, Scorer concrete) => scorer.Score("a") + concrete.Score("b");
            }
            """);
    }

    [Fact]
    public async Task An_interface_in_another_file_gets_the_attribute_and_the_using_it_needs()
    {
        var test = new CSharpCodeFixTest<UnreachableCallAnalyzer, MonitorInterfaceMethodCodeFixProvider, DefaultVerifier>
        {
            ReferenceAssemblies = TestReferences.NoPackages,
        };
        test.TestState.AdditionalReferences.AddRange(TestReferences.Framework);
        test.TestState.Sources.Add(("/Retrieval/IRetriever.cs", """
            namespace Retrieval;

            public interface IRetriever
            {
                string[] Search(string query);
            }
            """));
        test.TestState.Sources.Add(("/Retrieval/Retriever.cs", """
            using Maran.Instrument;

            namespace Retrieval;

            public class Retriever : IRetriever
            {
                [MonitorOperation("search", "rag")]
                public string[] Search(string query) => [query];
            }

            public static class Program
            {
                public static int Run(IRetriever retriever) => {|MARAN002:retriever.Search("a")|}.Length;
            }
            """));
        test.FixedState.AdditionalReferences.AddRange(TestReferences.Framework);
        test.FixedState.Sources.Add(("/Retrieval/IRetriever.cs", """
            using Maran.Instrument;

            namespace Retrieval;

            public interface IRetriever
            {
                [MonitorOperation("search", "rag")]
                string[] Search(string query);
            }
            """));
        test.FixedState.Sources.Add(("/Retrieval/Retriever.cs", """
            using Maran.Instrument;

            namespace Retrieval;

            public class Retriever : IRetriever
            {
                [MonitorOperation("search", "rag")]
                public string[] Search(string query) => [query];
            }

            public static class Program
            {
                public static int Run(IRetriever retriever) => retriever.Search("a").Length;
            }
            """));
        test.SolutionTransforms.Add((solution, projectId) =>
            solution.WithProjectParseOptions(projectId, TestReferences.ParseOptions(interceptorsEnabled: true)));
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_is_offered_when_the_implementation_is_monitored_by_its_component_or_the_call_goes_through_a_base_class()
    {
        await Verify.NoCodeFixAsync<UnreachableCallAnalyzer, MonitorInterfaceMethodCodeFixProvider>(
            """
            using Maran.Instrument;

            public interface IRetriever
            {
                string[] Search(string query);
            }

            [MonitorComponent("retriever")]
            public class Retriever : IRetriever
            {
                public string[] Search(string query) => [query];
            }

            public class Step
            {
                public virtual string Run() => "step";
            }

            public class Generate : Step
            {
                [MonitorOperation("generate", "tests")]
                public override string Run() => "generate";
            }

            public static class Program
            {
                public static int Run(IRetriever retriever, Step step) => {|MARAN002:retriever.Search("a")|}.Length + {|MARAN002:step.Run()|}.Length;
            }
            """);
    }
}
