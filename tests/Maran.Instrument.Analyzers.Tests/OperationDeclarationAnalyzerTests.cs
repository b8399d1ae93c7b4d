using Microsoft.CodeAnalysis.Testing;

namespace Maran.Instrument.Analyzers.Tests;

/// <summary>MARAN003 (bad names and components), MARAN006 (monitored but not interceptable) and MARAN004 (one operation, two methods).</summary>
public class OperationDeclarationAnalyzerTests
{
    private const string Usings = """
        using System;
        using Maran.Instrument;

        """;

    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        Verify.AnalyzerAsync<OperationDeclarationAnalyzer>(Usings + source, expected);

    [Fact]
    public async Task An_empty_name_and_a_null_component_are_errors_that_say_the_method_is_skipped()
    {
        await VerifyAsync(
            """
            public class Agent
            {
                [MonitorOperation({|#0:""|}, {|#1:null|})]
                public void Run()
                {
                }
            }
            """,
            new DiagnosticResult(MaranDiagnostics.InvalidOperationArgument).WithLocation(0)
                .WithArguments("The operation name is empty; the generator skips this method, so its calls are not timed"),
            new DiagnosticResult(MaranDiagnostics.InvalidOperationArgument).WithLocation(1)
                .WithArguments("The component is null; the generator skips this method, so its calls are not timed"));
    }

    [Fact]
    public async Task Characters_that_labels_would_mangle_are_errors_at_the_argument_even_when_named()
    {
        await VerifyAsync(
            """
            public class Agent
            {
                private const string Spaced = "a b";

                [MonitorOperation(component: {|#0:"model:gpt"|}, name: "generate")]
                public void Generate()
                {
                }

                [MonitorOperation({|MARAN003:Spaced|}, "agent")]
                public void Spacey()
                {
                }

                [MonitorOperation({|MARAN003:"génère"|}, "agent")]
                public void Accented()
                {
                }
            }
            """,
            new DiagnosticResult(MaranDiagnostics.InvalidOperationArgument).WithLocation(0)
                .WithArguments("The component \"model:gpt\" contains ':', which metric labels would mangle; use ASCII letters, digits, '_', '.', '-' or '/'"));
    }

    [Fact]
    public async Task Letters_digits_underscores_dots_dashes_and_slashes_are_valid()
    {
        await VerifyAsync(
            """
            public class Agent
            {
                [MonitorOperation("chat.completions/v1-stream_2", "Model-Gateway.eu/1")]
                public void Run()
                {
                }
            }
            """);
    }

    [Fact]
    public async Task A_component_type_with_an_empty_component_is_an_error()
    {
        await VerifyAsync(
            """
            [MonitorComponent({|MARAN003:""|})]
            public class Retriever
            {
                public void Search()
                {
                }
            }
            """);
    }

    [Fact]
    public async Task A_non_constant_argument_is_left_to_the_compiler()
    {
        await VerifyAsync(
            """
            public class Agent
            {
                private static readonly string Name = "run";

                [MonitorOperation({|CS0182:Name|}, "agent")]
                public void Run()
                {
                }
            }
            """);
    }

    [Fact]
    public async Task Monitored_members_that_are_not_ordinary_methods_are_reported_with_the_generators_reason()
    {
        await VerifyAsync(
            """
            public interface IModel
            {
                int Predict();

                [{|#0:MonitorOperation("create", "tests")|}]
                static abstract IModel Create();
            }

            public class Model : IModel
            {
                [{|#1:MonitorOperation("predict", "tests")|}]
                int IModel.Predict() => 1;

                public static IModel Create() => new Model();

                public int Size
                {
                    [{|MARAN006:MonitorOperation("size", "tests")|}]
                    get => 1;
                }

                public int Run()
                {
                    [{|MARAN006:MonitorOperation("local", "tests")|}]
                    int Local() => 1;

                    Func<int> lambda = [{|MARAN006:MonitorOperation("lambda", "tests")|}] () => 2;
                    return Local() + lambda();
                }

                [MonitorOperation("hidden", "tests")]
                private int Hidden() => 3;
            }
            """,
            new DiagnosticResult(MaranDiagnostics.NotInterceptable).WithLocation(0)
                .WithArguments("IModel.Create", "static interface members cannot be intercepted"),
            new DiagnosticResult(MaranDiagnostics.NotInterceptable).WithLocation(1)
                .WithArguments("Model.Predict", "only ordinary methods can be intercepted"));
    }

    [Fact]
    public async Task Two_methods_under_one_name_and_component_are_each_reported_pointing_at_the_other()
    {
        await VerifyAsync(
            """
            public class Chat
            {
                [{|#0:MonitorOperation("generate", "model")|}]
                public string Ask(string prompt) => prompt;
            }

            public class Summarizer
            {
                [{|#1:MonitorOperation("generate", "model")|}]
                public string Summarize(string text) => text;
            }
            """,
            new DiagnosticResult(MaranDiagnostics.DuplicateOperation).WithLocation(0).WithLocation(1)
                .WithArguments("generate", "model", "Summarizer.Summarize"),
            new DiagnosticResult(MaranDiagnostics.DuplicateOperation).WithLocation(1).WithLocation(0)
                .WithArguments("generate", "model", "Chat.Ask"));
    }

    [Fact]
    public async Task Overloads_overrides_and_implementations_of_one_method_may_share_an_operation()
    {
        await VerifyAsync(
            """
            public interface IModel
            {
                [MonitorOperation("generate", "model")]
                string Generate(string prompt);
            }

            public class Model : IModel
            {
                [MonitorOperation("generate", "model")]
                public virtual string Generate(string prompt) => prompt;

                [MonitorOperation("generate", "model")]
                public string Generate(string prompt, int tokens) => prompt;
            }

            public class Tuned : Model
            {
                [MonitorOperation("generate", "model")]
                public override string Generate(string prompt) => "tuned";
            }
            """);
    }

    [Fact]
    public async Task A_component_method_and_an_attribute_that_pick_the_same_operation_are_reported()
    {
        await VerifyAsync(
            """
            [MonitorComponent("rag")]
            public class Retriever
            {
                public string {|MARAN004:Search|}(string query) => query;

                [DoNotMonitor]
                public string Describe() => "retriever";
            }

            public class Index
            {
                [{|MARAN004:MonitorOperation("Search", "rag")|}]
                public string Lookup(string query) => query;

                [MonitorOperation("Describe", "rag")]
                public string Describe() => "index";
            }
            """);
    }
}
