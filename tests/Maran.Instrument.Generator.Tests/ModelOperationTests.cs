using Maran.Instrument.Profiling;

namespace Maran.Instrument.Generator.Tests;

/// <summary>The GenAI named arguments of <c>[MonitorOperation]</c> reach the operation's recorder.</summary>
public class ModelOperationTests
{
    [Fact]
    public void Provider_and_GenAI_operation_on_the_attribute_are_carried_by_the_recorder()
    {
        var (_, assembly) = GeneratorHarness.CompileAndLoad("ModelOperations");

        Assert.Equal("42: why 3 1", GeneratorHarness.Invoke(assembly, "Scenarios.ModelOperations.Program", "Run"));
        OperationRecorder answer = OperationRegistry.Find("answer", "model_operations")!;
        Assert.Equal(("gpt-4o-mini", "openai", "chat"), (answer.Model, answer.Provider, answer.GenAIOperation));
        OperationRecorder embed = OperationRegistry.Find("embed", "model_operations")!;
        Assert.Equal((null, null, "embeddings"), (embed.Model, embed.Provider, embed.GenAIOperation));
        OperationRecorder plain = OperationRegistry.Find("plain", "model_operations")!;
        Assert.Equal((null, null, null), (plain.Model, plain.Provider, plain.GenAIOperation));
    }
}
