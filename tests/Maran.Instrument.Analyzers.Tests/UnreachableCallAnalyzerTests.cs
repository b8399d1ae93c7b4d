using Microsoft.CodeAnalysis.Testing;

namespace Maran.Instrument.Analyzers.Tests;

/// <summary>MARAN002: every way a monitored method can be used where the generator's interceptors cannot reach it, and the calls they do reach.</summary>
public class UnreachableCallAnalyzerTests
{
    private const string Declarations = """
        using System;
        using System.Collections;
        using System.Collections.Generic;
        using System.Linq;
        using System.Linq.Expressions;
        using Maran.Instrument;

        public interface IScorer
        {
            int Score(string text);
        }

        public class Scorer : IScorer
        {
            [MonitorOperation("score", "tests")]
            public int Score(string text) => text.Length;

            [MonitorOperation("rank", "tests")]
            public static int Rank(string text) => text.Length;
        }

        """;

    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        Verify.AnalyzerAsync<UnreachableCallAnalyzer>(Declarations + source, expected);

    [Fact]
    public async Task A_method_group_converted_to_a_delegate_is_reported_with_what_happens()
    {
        await VerifyAsync(
            """
            public static class Program
            {
                public static int Run(Scorer scorer)
                {
                    Func<string, int> group = {|#0:scorer.Score|};
                    return group("a") + new[] { "b" }.Select({|MARAN002:Scorer.Rank|}).Sum() + new Func<string, int>({|MARAN002:scorer.Score|})("c");
                }
            }
            """,
            new DiagnosticResult(MaranDiagnostics.UnreachableCall).WithLocation(0)
                .WithArguments("'Scorer.Score' is converted to a delegate here, and calls through a delegate are not intercepted"));
    }

    [Fact]
    public async Task A_method_group_or_lambda_handed_to_AIFunctionFactory_Create_becomes_a_measured_tool_and_is_not_reported()
    {
        await VerifyAsync(
            """
            public static class Program
            {
                public static int Run(Scorer scorer)
                {
                    var tools = new[]
                    {
                        Microsoft.Extensions.AI.AIFunctionFactory.Create(scorer.Score),
                        Microsoft.Extensions.AI.AIFunctionFactory.Create((Func<string, int>)Scorer.Rank, name: "rank"),
                        Microsoft.Extensions.AI.AIFunctionFactory.Create(new Func<string, int>(scorer.Score), "score", "Scores a text"),
                        Microsoft.Extensions.AI.AIFunctionFactory.Create((string text) => scorer.Score(text)),
                    };
                    Func<string, int> elsewhere = {|MARAN002:scorer.Score|};
                    return tools.Length + elsewhere("a");
                }
            }
            """);
    }

    [Fact]
    public async Task Direct_static_conditional_lambda_and_nameof_uses_are_not_reported()
    {
        await VerifyAsync(
            """
            public static class Program
            {
                public static string Run(Scorer? scorer)
                {
                    int direct = scorer!.Score("a") + Scorer.Rank("b") + (scorer?.Score("c") ?? 0);
                    Func<string, int> lambda = text => scorer.Score(text);
                    return nameof(Scorer.Score) + direct + lambda("d");
                }
            }
            """);
    }

    [Fact]
    public async Task A_call_through_an_interface_whose_method_carries_no_attribute_is_reported()
    {
        await VerifyAsync(
            """
            public static class Program
            {
                public static int Run(IScorer scorer) => {|#0:scorer.Score("a")|};
            }
            """,
            new DiagnosticResult(MaranDiagnostics.UnreachableCall).WithLocation(0)
                .WithArguments("'IScorer.Score' carries no [MonitorOperation] and this call goes through interface 'IScorer'; only calls that bind to 'Scorer.Score' are intercepted"));
    }

    [Fact]
    public async Task A_call_through_an_interface_method_that_carries_the_attribute_is_intercepted()
    {
        await VerifyAsync(
            """
            public interface IModel
            {
                [MonitorOperation("predict", "tests")]
                string Predict(string input);
            }

            public class Model : IModel
            {
                public string Predict(string input) => input;
            }

            public static class Program
            {
                public static string Run(IModel model) => model.Predict("a") + model.ToString() + ((IDisposable)new System.IO.MemoryStream()).ToString();
            }
            """);
    }

    [Fact]
    public async Task A_call_through_a_base_method_without_the_attribute_is_reported_and_the_override_is_not()
    {
        await VerifyAsync(
            """
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
                public static string Run(Step step, Generate generate) => {|MARAN002:step.Run()|} + generate.Run();
            }
            """);
    }

    [Fact]
    public async Task An_override_of_a_base_method_that_implements_an_interface_is_missed_through_the_interface()
    {
        await VerifyAsync(
            """
            public class Plain : IScorer
            {
                public virtual int Score(string text) => 0;
            }

            public class Tuned : Plain
            {
                [MonitorOperation("tuned", "tests")]
                public override int Score(string text) => 1;
            }

            public static class Program
            {
                public static int Run(Tuned tuned)
                {
                    IScorer scorer = tuned;
                    return tuned.Score("a") + {|MARAN002:scorer.Score("b")|};
                }
            }
            """);
    }

    [Fact]
    public async Task A_base_call_of_a_monitored_method_is_reported()
    {
        await VerifyAsync(
            """
            public class Base
            {
                [MonitorOperation("describe", "tests")]
                public virtual string Describe() => "base";
            }

            public class Derived : Base
            {
                public override string Describe() => "derived+" + {|#0:base.Describe()|};
            }
            """,
            new DiagnosticResult(MaranDiagnostics.UnreachableCall).WithLocation(0)
                .WithArguments("'base.Describe(...)' is a non-virtual call that interception cannot reach"));
    }

    [Fact]
    public async Task A_call_on_a_type_parameter_that_may_be_a_struct_is_reported_and_one_that_is_a_class_is_not()
    {
        await VerifyAsync(
            """
            public interface IModel
            {
                [MonitorOperation("predict", "tests")]
                int Predict();
            }

            public class Model
            {
                [MonitorOperation("generate", "tests")]
                public virtual int Generate() => 1;
            }

            public static class Program
            {
                public static int Run<T, TClass, TModel>(ref T value, TClass reference, TModel model)
                    where T : IModel
                    where TClass : class, IModel
                    where TModel : Model =>
                    {|#0:value.Predict()|} + reference.Predict() + model.Generate();
            }
            """,
            new DiagnosticResult(MaranDiagnostics.UnreachableCall).WithLocation(0)
                .WithArguments("'IModel.Predict' is called on a value of type parameter 'T', which may be a struct that the interceptor would copy"));
    }

    [Fact]
    public async Task A_call_inside_an_expression_tree_is_reported_and_one_in_a_delegate_lambda_is_not()
    {
        await VerifyAsync(
            """
            public static class Program
            {
                public static int Run(Scorer scorer, IQueryable<string> texts)
                {
                    Expression<Func<string, int>> tree = text => {|MARAN002:scorer.Score(text)|};
                    var query = from text in texts select {|MARAN002:Scorer.Rank(text)|};
                    var eager = from text in new[] { "a" } select Scorer.Rank(text);
                    return tree.Compile()("a") + query.Count() + eager.Sum();
                }
            }
            """);
    }

    [Fact]
    public async Task A_public_method_of_a_component_reached_through_its_interface_is_reported()
    {
        await VerifyAsync(
            """
            public interface IRetriever
            {
                string[] Search(string query);
            }

            [MonitorComponent("retriever")]
            public class Retriever : IRetriever
            {
                public string[] Search(string query) => [query];
            }

            public static class Program
            {
                public static int Run(Retriever retriever, IRetriever abstracted) => retriever.Search("a").Length + {|MARAN002:abstracted.Search("b")|}.Length;
            }
            """);
    }

    [Fact]
    public async Task A_monitored_method_called_by_a_collection_initializer_is_reported()
    {
        await VerifyAsync(
            """
            public class Batch : IEnumerable<string>
            {
                private readonly List<string> _items = [];

                [MonitorOperation("add", "tests")]
                public void Add(string item) => _items.Add(item);

                public IEnumerator<string> GetEnumerator() => _items.GetEnumerator();

                IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
            }

            public static class Program
            {
                public static Batch Run() => new Batch { {|MARAN002:"a"|} };
            }
            """);
    }

    [Fact]
    public async Task Calls_of_methods_that_are_not_monitored_are_never_reported()
    {
        await VerifyAsync(
            """
            public interface ICounter
            {
                int Count(string text);
            }

            public class Plain : ICounter
            {
                public int Count(string text) => text.Length;
            }

            public static class Program
            {
                public static int Run(Plain plain)
                {
                    ICounter counter = plain;
                    Func<string, int> group = plain.Count;
                    return counter.Count("a") + group("b") + "c".GetHashCode();
                }
            }
            """);
    }
}
