using Maran.Instrument.Generator.Model;

namespace Maran.Instrument.Generator.Emitting;

/// <summary>
/// Writes what the interceptors of tools and agents share in one file: the function wrapper that records each tool
/// invocation, and the lookup of an agent's recorder by the name it has at run time.
/// </summary>
internal static class CallEmitter
{
    /// <summary>The file-local wrapper <c>AIFunctionFactory.Create</c> interceptors return.</summary>
    public const string MonitoredFunction = "MonitoredAIFunction";

    private const string Runtime = "global::Maran.Instrument";
    private const string Ai = "global::Microsoft.Extensions.AI";

    /// <summary>
    /// A <c>DelegatingAIFunction</c> whose invocations are tool calls: same name, description and schema as the
    /// function it wraps (the delegate and the schema built from it are untouched), each invocation timed under a
    /// recorder named after the function, inside whatever model call or agent run invoked it.
    /// </summary>
    public static void WriteMonitoredFunction(SourceWriter writer)
    {
        writer.Line("// Records each invocation of a function made by AIFunctionFactory.Create as a tool call named after the function.");
        writer.Open($"file sealed class {MonitoredFunction} : {Ai}.DelegatingAIFunction");
        writer.Line($"private readonly {Runtime}.OperationRecorder _recorder;");
        writer.Line();
        writer.Line($"public {MonitoredFunction}({Ai}.AIFunction innerFunction)");
        writer.Line("    : base(innerFunction)");
        writer.Open();
        writer.Line($"_recorder = {Runtime}.OperationRegistry.GetOrAddCall(");
        writer.Line($"    {Runtime}.OperationKind.Tool, string.IsNullOrEmpty(innerFunction.Name) ? \"tool\" : innerFunction.Name, \"tools\", null, null, \"execute_tool\");");
        writer.Close();
        writer.Line();
        writer.Line($"protected override global::System.Threading.Tasks.ValueTask<object?> InvokeCoreAsync({Ai}.AIFunctionArguments arguments, global::System.Threading.CancellationToken cancellationToken)");
        writer.Open();
        writer.Line($"var scope = {Runtime}.OperationScope.StartCall(_recorder, null);");
        writer.Line("global::System.Threading.Tasks.ValueTask<object?> task;");
        writer.Line("try");
        writer.Line("{");
        writer.Line("    task = base.InvokeCoreAsync(arguments, cancellationToken);");
        writer.Line("}");
        writer.Line("catch (global::System.Exception exception) when (scope.Fail(exception))");
        writer.Line("{");
        writer.Line("    throw;");
        writer.Line("}");
        writer.Line("finally");
        writer.Line("{");
        writer.Line("    scope.Detach();");
        writer.Line("}");
        writer.Line();
        writer.Line("return scope.Track(task);");
        writer.Close();
        writer.Close();
    }

    /// <summary>The generated method that describes a client of <paramref name="client"/>'s kind to the runtime.</summary>
    public static string DescriberName(ClientKind client) => client == ClientKind.Embedding ? "DescribeEmbeddingGenerator" : "DescribeChatClient";

    /// <summary>
    /// Writes how a client describes itself, through the SDK's own service lookup: its metadata's provider and default
    /// model, for a chat client whether a <c>CachingChatClient</c> is in its pipeline, and whether its pipeline reports to
    /// OpenTelemetry itself (a middleware that hands out its <c>ActivitySource</c>, as <c>UseOpenTelemetry()</c> does).
    /// Run once per client instance.
    /// </summary>
    public static void WriteDescriber(SourceWriter writer, ClientKind client)
    {
        const string Source = "global::System.Diagnostics.ActivitySource";
        if (client != ClientKind.Embedding)
        {
            string cache = client == ClientKind.CachingChat ? $"chat.GetService(typeof({Ai}.CachingChatClient), null) is not null" : "false";
            writer.Line("// A chat client's provider, default model, response cache and own telemetry; read once per client.");
            writer.Open($"private static {Runtime}.ModelClient DescribeChatClient(object client)");
            writer.Line($"if (client is not {Ai}.IChatClient chat)");
            writer.Line("{");
            writer.Line("    return default;");
            writer.Line("}");
            writer.Line();
            writer.Line($"var metadata = chat.GetService(typeof({Ai}.ChatClientMetadata), null) as {Ai}.ChatClientMetadata;");
            writer.Line($"return new {Runtime}.ModelClient(metadata?.ProviderName, {cache}, metadata?.DefaultModelId, chat.GetService(typeof({Source}), null) is {Source});");
            writer.Close();
        }
        else
        {
            writer.Line("// An embedding generator's provider, default model and own telemetry; read once per generator.");
            writer.Open($"private static {Runtime}.ModelClient DescribeEmbeddingGenerator(object generator)");
            writer.Line($"if (generator is not {Ai}.IEmbeddingGenerator embeddings)");
            writer.Line("{");
            writer.Line("    return default;");
            writer.Line("}");
            writer.Line();
            writer.Line($"var metadata = embeddings.GetService(typeof({Ai}.EmbeddingGeneratorMetadata), null) as {Ai}.EmbeddingGeneratorMetadata;");
            writer.Line($"return new {Runtime}.ModelClient(metadata?.ProviderName, false, metadata?.DefaultModelId, embeddings.GetService(typeof({Source}), null) is {Source});");
            writer.Close();
        }
    }

    /// <summary>The recorder of an agent's runs: the agent's name is known only at run time; a run is slow next to the lookup.</summary>
    public static void WriteAgentRecorder(SourceWriter writer)
    {
        writer.Line("// The recorder of one agent's runs, under the name the agent has at run time.");
        writer.Line($"private static {Runtime}.OperationRecorder AgentRecorder(global::Microsoft.Agents.AI.AIAgent? agent) =>");
        writer.Line($"    {Runtime}.OperationRegistry.GetOrAddCall(");
        writer.Line($"        {Runtime}.OperationKind.Agent, agent?.Name is {{ Length: > 0 }} name ? name : agent?.GetType().Name ?? \"agent\", \"agents\", null, null, \"invoke_agent\");");
    }
}
