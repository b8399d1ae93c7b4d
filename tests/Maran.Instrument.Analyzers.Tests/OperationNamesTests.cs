using Maran.Instrument.Analyzers.Naming;

namespace Maran.Instrument.Analyzers.Tests;

/// <summary>The names the code fixes propose, and the characters the rules allow.</summary>
public class OperationNamesTests
{
    [Theory]
    [InlineData("GetResponseAsync", "get_response")]
    [InlineData("AskLLMAsync", "ask_llm")]
    [InlineData("LLMClient", "llm_client")]
    [InlineData("Embed2Vectors", "embed2_vectors")]
    [InlineData("Async", "async")]
    [InlineData("forward", "forward")]
    [InlineData("Générer", "g_n_rer")]
    public void Method_names_become_snake_case_without_the_Async_suffix(string method, string expected) =>
        Assert.Equal(expected, OperationNames.FromMethodName(method));

    [Theory]
    [InlineData("ChatAgent", "chat_agent")]
    [InlineData("RAGPipeline", "rag_pipeline")]
    [InlineData("Program", "program")]
    [InlineData("__", "component")]
    public void Type_names_become_snake_case_components(string type, string expected) =>
        Assert.Equal(expected, OperationNames.FromTypeName(type));

    [Theory]
    [InlineData("chat.completions/v1-stream_2", -1)]
    [InlineData("generate answer", 8)]
    [InlineData("model:gpt", 5)]
    [InlineData("é", 0)]
    public void The_first_character_labels_would_mangle_is_found(string value, int expected) =>
        Assert.Equal(expected, OperationNames.FirstInvalid(value));

    [Fact]
    public void Sanitizing_replaces_each_disallowed_character_with_an_underscore() =>
        Assert.Equal("model_gpt-4o_mini", OperationNames.Sanitize("model:gpt-4o mini"));
}
