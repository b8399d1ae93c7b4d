using Maran.Instrument.CodeFixes;

namespace Maran.Instrument.Analyzers.Tests;

/// <summary>MARAN003's fix: a literal name or component with the bad characters replaced, or a name for an empty one.</summary>
public class OperationLabelCodeFixTests
{
    private static Task VerifyAsync(string source, string fixedSource) =>
        Verify.CodeFixAsync<OperationDeclarationAnalyzer, OperationLabelCodeFixProvider>(source, fixedSource);

    [Fact]
    public async Task Bad_characters_become_underscores_and_empty_or_null_ones_take_the_methods_and_types_names()
    {
        await VerifyAsync(
            """
            using Maran.Instrument;

            public class ChatAgent
            {
                [MonitorOperation({|MARAN003:"generate answer"|}, {|MARAN003:"model:gpt-4o"|})]
                public void Generate()
                {
                }

                [MonitorOperation({|MARAN003:""|}, {|MARAN003:null|})]
                public void SummarizeAsync()
                {
                }
            }

            [MonitorComponent({|MARAN003:""|})]
            public class VectorStore
            {
                public void Search()
                {
                }
            }
            """,
            """
            using Maran.Instrument;

            public class ChatAgent
            {
                [MonitorOperation("generate_answer", "model_gpt-4o")]
                public void Generate()
                {
                }

                [MonitorOperation("summarize", "chat_agent")]
                public void SummarizeAsync()
                {
                }
            }

            [MonitorComponent("vector_store")]
            public class VectorStore
            {
                public void Search()
                {
                }
            }
            """);
    }

    [Fact]
    public async Task A_constant_defined_elsewhere_is_not_rewritten()
    {
        await Verify.NoCodeFixAsync<OperationDeclarationAnalyzer, OperationLabelCodeFixProvider>(
            """
            using Maran.Instrument;

            public class Agent
            {
                private const string Name = "a b";

                [MonitorOperation({|MARAN003:Name|}, "agent")]
                public void Run()
                {
                }
            }
            """);
    }
}
