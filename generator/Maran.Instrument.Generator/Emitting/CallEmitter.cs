using System;
using Maran.Instrument.Generator.Model;

namespace Maran.Instrument.Generator.Emitting;

/// <summary>
/// Writes what the interceptors of model calls, tools and agents share, into the shared helpers (see
/// <see cref="HelpersEmitter"/>): the function wrapper that records each tool invocation, the lookup of an agent's
/// recorder by the name it has at run time, the description of a client, and the readers of a chat call's content.
/// </summary>
internal static class CallEmitter
{
    /// <summary>The file-local wrapper of a function made by <c>AIFunctionFactory.Create</c>.</summary>
    public const string MonitoredFunction = "MonitoredAIFunction";

    /// <summary>The helper <c>AIFunctionFactory.Create</c> interceptors return the created function through.</summary>
    public const string MonitorFunction = "MonitorFunction";

    /// <summary>The helper that gives an agent's recorder.</summary>
    public const string AgentRecorder = "AgentRecorder";

    private const string Runtime = "global::Maran.Instrument";
    private const string Ai = "global::Microsoft.Extensions.AI";
    private const string Content = Runtime + ".Export.GenAIContent";

    /// <summary>
    /// A <c>DelegatingAIFunction</c> whose invocations are tool calls: same name, description and schema as the
    /// function it wraps (the delegate and the schema built from it are untouched), each invocation timed under a
    /// recorder named after the function, inside whatever model call or agent run invoked it.
    /// </summary>
    public static void WriteMonitoredFunction(SourceWriter writer)
    {
        writer.Line("// Records each invocation of a function made by AIFunctionFactory.Create as a tool call named after the function.");
        writer.Open($"file sealed class {MonitoredFunction} : {Ai}.DelegatingAIFunction");
        writer.Line($"private readonly {Runtime}.Profiling.OperationRecorder _recorder;");
        writer.Line();
        writer.Line($"public {MonitoredFunction}({Ai}.AIFunction innerFunction)");
        writer.Line("    : base(innerFunction)");
        writer.Open();
        writer.Line($"_recorder = {Runtime}.Profiling.OperationRegistry.GetOrAddCall(");
        writer.Line($"    {Runtime}.Profiling.OperationKind.Tool, string.IsNullOrEmpty(innerFunction.Name) ? \"tool\" : innerFunction.Name, \"tools\", null, null, \"execute_tool\");");
        writer.Close();
        writer.Line();
        writer.Line($"protected override global::System.Threading.Tasks.ValueTask<object?> InvokeCoreAsync({Ai}.AIFunctionArguments arguments, global::System.Threading.CancellationToken cancellationToken)");
        writer.Open();
        writer.Line($"var scope = {Runtime}.Profiling.OperationScope.StartCall(_recorder, null);");
        writer.Line($"if ({Content}.Enabled)");
        writer.Line("{");
        writer.Line($"    {Content}.RecordToolArguments(scope, UnderlyingMethod, arguments);");
        writer.Line("}");
        writer.Line();
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
        writer.Line($"return scope.Track({Content}.Enabled ? {Content}.RecordToolResult(scope, UnderlyingMethod, task) : task);");
        writer.Close();
        writer.Close();
    }

    /// <summary>Writes the helper that wraps a created function in <see cref="MonitoredFunction"/>.</summary>
    public static void WriteMonitorFunction(SourceWriter writer)
    {
        writer.Line("// The function AIFunctionFactory.Create made, wrapped so each of its invocations is recorded.");
        writer.Line($"internal static {Ai}.AIFunction {MonitorFunction}({Ai}.AIFunction function) => new {MonitoredFunction}(function);");
    }

    /// <summary>The generated method that writes a chat call's input messages for content capture.</summary>
    public const string ChatInputWriter = "WriteChatInput";

    /// <summary>The generated method that writes a chat call's system instructions (<c>ChatOptions.Instructions</c>).</summary>
    public const string ChatInstructionsWriter = "WriteChatInstructions";

    /// <summary>The generated method that writes a chat response's output messages.</summary>
    public const string ChatOutputWriter = "WriteChatOutput";

    /// <summary>The generated method that writes the response a chat stream's updates make up.</summary>
    public const string ChatStreamOutputWriter = "WriteChatStreamOutput";

    /// <summary>
    /// Writes the readers content capture uses on Microsoft.Extensions.AI chat calls: the input (a text, a message or
    /// messages), the options' instructions and the response's messages, each walked into the conventions' JSON shape
    /// through <c>GenAIContentWriter</c>. Generated code calls them only after checking <c>GenAIContent.Enabled</c>.
    /// </summary>
    public static void WriteChatContent(SourceWriter writer)
    {
        const string Writer = Runtime + ".Export.GenAIContentWriter";
        writer.Line("// Content capture: a chat call's input messages, as the GenAI conventions shape them.");
        writer.Open($"internal static void {ChatInputWriter}({Writer} writer, object? input)");
        writer.Line("writer.BeginList();");
        writer.Line("switch (input)");
        writer.Line("{");
        writer.Line("    case string text:");
        writer.Line("        writer.BeginMessage(\"user\");");
        writer.Line("        writer.Text(text);");
        writer.Line("        writer.EndMessage();");
        writer.Line("        break;");
        writer.Line($"    case {Ai}.ChatMessage message:");
        writer.Line("        WriteChatMessage(writer, message, null);");
        writer.Line("        break;");
        writer.Line($"    case global::System.Collections.Generic.IEnumerable<{Ai}.ChatMessage> messages:");
        writer.Line("        foreach (var message in messages)");
        writer.Line("        {");
        writer.Line("            WriteChatMessage(writer, message, null);");
        writer.Line("        }");
        writer.Line();
        writer.Line("        break;");
        writer.Line("}");
        writer.Line();
        writer.Line("writer.EndList();");
        writer.Close();
        writer.Line();
        writer.Line("// Content capture: the instructions a chat call's options give, as system instructions.");
        writer.Open($"internal static void {ChatInstructionsWriter}({Writer} writer, {Ai}.ChatOptions? options)");
        writer.Line("if (options?.Instructions is { Length: > 0 } instructions)");
        writer.Line("{");
        writer.Line("    writer.BeginList();");
        writer.Line("    writer.Text(instructions);");
        writer.Line("    writer.EndList();");
        writer.Line("}");
        writer.Close();
        writer.Line();
        writer.Line("// Content capture: a chat response's messages, with the reason the model stopped.");
        writer.Open($"internal static void {ChatOutputWriter}({Writer} writer, {Ai}.ChatResponse response)");
        writer.Line("string? finishReason = response.FinishReason?.Value is { } reason ? (reason == \"tool_calls\" ? \"tool_call\" : reason) : null;");
        writer.Line("writer.BeginList();");
        writer.Line("foreach (var message in response.Messages)");
        writer.Line("{");
        writer.Line("    WriteChatMessage(writer, message, finishReason);");
        writer.Line("}");
        writer.Line();
        writer.Line("writer.EndList();");
        writer.Close();
        writer.Line();
        writer.Line("// Content capture: the response a chat stream's updates make up, as Microsoft.Extensions.AI joins them.");
        writer.Line($"internal static void {ChatStreamOutputWriter}({Writer} writer, global::System.Collections.Generic.IReadOnlyList<{Ai}.ChatResponseUpdate> updates) =>");
        writer.Line($"    {ChatOutputWriter}(writer, {Ai}.ChatResponseExtensions.ToChatResponse(updates));");
        writer.Line();
        writer.Open($"private static void WriteChatMessage({Writer} writer, {Ai}.ChatMessage message, string? finishReason)");
        writer.Line("writer.BeginMessage(message.Role.Value, message.AuthorName);");
        writer.Line("foreach (var content in message.Contents)");
        writer.Line("{");
        writer.Line("    switch (content)");
        writer.Line("    {");
        writer.Line($"        case {Ai}.TextContent text:");
        writer.Line("            writer.Text(text.Text);");
        writer.Line("            break;");
        writer.Line($"        case {Ai}.FunctionCallContent call:");
        writer.Line("            writer.ToolCall(call.CallId, call.Name, call.Arguments);");
        writer.Line("            break;");
        writer.Line($"        case {Ai}.FunctionResultContent result:");
        writer.Line("            writer.ToolCallResponse(result.CallId, result.Result);");
        writer.Line("            break;");
        writer.Line("    }");
        writer.Line("}");
        writer.Line();
        writer.Line("writer.EndMessage(finishReason);");
        writer.Close();
    }

    /// <summary>The generated method that describes a client of <paramref name="client"/>'s kind to the runtime.</summary>
    public static string DescriberName(ClientKind client) => client switch
    {
        ClientKind.Embedding => "DescribeEmbeddingGenerator",
        ClientKind.Agent => "DescribeAgent",
        _ => "DescribeChatClient",
    };

    /// <summary>
    /// Writes how a client describes itself, through the SDK's own service lookup: its metadata's provider and default
    /// model, for a chat client whether a <c>CachingChatClient</c> is in its pipeline, and whether its pipeline reports to
    /// OpenTelemetry itself (a middleware that hands out its <c>ActivitySource</c>, as <c>UseOpenTelemetry()</c> does).
    /// Run once per client instance.
    /// </summary>
    public static void WriteDescriber(SourceWriter writer, ClientKind client)
    {
        const string Source = "global::System.Diagnostics.ActivitySource";
        if (client == ClientKind.Agent)
        {
            writer.Line("// Whether an agent's pipeline reports its runs to OpenTelemetry itself (the Agent Framework's UseOpenTelemetry()); read once per agent.");
            writer.Line($"internal static {Runtime}.Profiling.ModelClient DescribeAgent(object agent) =>");
            writer.Line($"    agent is global::Microsoft.Agents.AI.AIAgent run && run.GetService(typeof(global::Microsoft.Agents.AI.OpenTelemetryAgent), null) is not null");
            writer.Line($"        ? new {Runtime}.Profiling.ModelClient(null, false, null, ReportedByPipeline: true)");
            writer.Line("        : default;");
        }
        else if (client != ClientKind.Embedding)
        {
            string cache = client == ClientKind.CachingChat ? $"chat.GetService(typeof({Ai}.CachingChatClient), null) is not null" : "false";
            writer.Line("// A chat client's provider, default model, response cache and own telemetry; read once per client.");
            writer.Open($"internal static {Runtime}.Profiling.ModelClient DescribeChatClient(object client)");
            writer.Line($"if (client is not {Ai}.IChatClient chat)");
            writer.Line("{");
            writer.Line("    return default;");
            writer.Line("}");
            writer.Line();
            writer.Line($"var metadata = chat.GetService(typeof({Ai}.ChatClientMetadata), null) as {Ai}.ChatClientMetadata;");
            writer.Line($"return new {Runtime}.Profiling.ModelClient(metadata?.ProviderName, {cache}, metadata?.DefaultModelId, chat.GetService(typeof({Source}), null) is {Source});");
            writer.Close();
        }
        else
        {
            writer.Line("// An embedding generator's provider, default model and own telemetry; read once per generator.");
            writer.Open($"internal static {Runtime}.Profiling.ModelClient DescribeEmbeddingGenerator(object generator)");
            writer.Line($"if (generator is not {Ai}.IEmbeddingGenerator embeddings)");
            writer.Line("{");
            writer.Line("    return default;");
            writer.Line("}");
            writer.Line();
            writer.Line($"var metadata = embeddings.GetService(typeof({Ai}.EmbeddingGeneratorMetadata), null) as {Ai}.EmbeddingGeneratorMetadata;");
            writer.Line($"return new {Runtime}.Profiling.ModelClient(metadata?.ProviderName, false, metadata?.DefaultModelId, embeddings.GetService(typeof({Source}), null) is {Source});");
            writer.Close();
        }
    }

    /// <summary>The helper that hands an embedding extension method a generator whose responses' usage reaches the call.</summary>
    public const string EmbeddingTap = "TapEmbeddings";

    /// <summary>
    /// Whether the call is a Microsoft.Extensions.AI embedding extension method that returns no usage (a vector, one
    /// embedding, zipped pairs): it gets the application's generator through a tap that reads the usage of the request
    /// the extension makes, so the tokens the provider billed are the call's.
    /// </summary>
    public static bool TapsEmbeddings(MethodModel method) =>
        method is { Kind: CallKind.ModelCall, Client: ClientKind.Embedding, Usage: null, Receiver: ReceiverKind.None }
        && method.Parameters.Length > 0
        && method.Parameters[0].Type.StartsWith(Ai + ".IEmbeddingGenerator<", StringComparison.Ordinal);

    /// <summary>Replaces the generator an embedding extension method is given with its tap (see <see cref="TapsEmbeddings"/>).</summary>
    public static void WriteEmbeddingTap(SourceWriter writer, MethodModel method, string scope)
    {
        if (TapsEmbeddings(method))
        {
            string generator = method.Parameters[0].Name;
            writer.Line($"{generator} = {HelpersEmitter.Member(EmbeddingTap)}({generator}, {scope});");
        }
    }

    /// <summary>
    /// The tap of an embedding generator: forwards each request to it unchanged and reports the usage of each response to
    /// the call in flight; a null generator is passed on, for the extension to refuse as it does.
    /// </summary>
    public static void WriteEmbeddingTaps(SourceWriter writer)
    {
        const string Scope = Runtime + ".Profiling.OperationScope";
        writer.Line("// The generator an embedding extension method is given: each response's usage reaches the call, which returns none.");
        writer.Line($"internal static {Ai}.IEmbeddingGenerator<TInput, TEmbedding> {EmbeddingTap}<TInput, TEmbedding>({Ai}.IEmbeddingGenerator<TInput, TEmbedding> generator, {Scope} scope)");
        writer.Line($"    where TEmbedding : {Ai}.Embedding =>");
        writer.Line($"    generator is null ? generator! : new EmbeddingUsageTap<TInput, TEmbedding>(generator, scope);");
        writer.Line();
        writer.Line($"private sealed class EmbeddingUsageTap<TInput, TEmbedding> : {Ai}.IEmbeddingGenerator<TInput, TEmbedding>");
        writer.Line($"    where TEmbedding : {Ai}.Embedding");
        writer.Open();
        writer.Line($"private readonly {Ai}.IEmbeddingGenerator<TInput, TEmbedding> _inner;");
        writer.Line($"private readonly {Scope} _scope;");
        writer.Line();
        writer.Open($"public EmbeddingUsageTap({Ai}.IEmbeddingGenerator<TInput, TEmbedding> inner, {Scope} scope)");
        writer.Line("_inner = inner;");
        writer.Line("_scope = scope;");
        writer.Close();
        writer.Line();
        writer.Open($"public async global::System.Threading.Tasks.Task<{Ai}.GeneratedEmbeddings<TEmbedding>> GenerateAsync(global::System.Collections.Generic.IEnumerable<TInput> values, {Ai}.EmbeddingGenerationOptions? options = null, global::System.Threading.CancellationToken cancellationToken = default)");
        writer.Line($"{Ai}.GeneratedEmbeddings<TEmbedding> embeddings = await _inner.GenerateAsync(values, options, cancellationToken).ConfigureAwait(false);");
        writer.Line($"_scope.ReportUsage(embeddings, {HelpersEmitter.Member("ReadEmbeddings")});");
        writer.Line("return embeddings;");
        writer.Close();
        writer.Line();
        writer.Line("public object? GetService(global::System.Type serviceType, object? serviceKey = null) => _inner.GetService(serviceType, serviceKey);");
        writer.Line();
        writer.Line("// The application's generator is not the tap's to dispose.");
        writer.Open("public void Dispose()");
        writer.Close();
        writer.Close();
    }

    /// <summary>Puts a call in its conversation: an agent run by its session object, a chat call by the conversation id of its options.</summary>
    public static void WriteSession(SourceWriter writer, MethodModel method, string scope)
    {
        foreach (ParameterModel parameter in method.Parameters)
        {
            if (method.Kind == CallKind.Agent && parameter.Type.TrimEnd('?') == "global::Microsoft.Agents.AI.AgentSession")
            {
                writer.Line($"{scope}.InSession({parameter.Name});");
            }
            else if (method.Client is ClientKind.Chat or ClientKind.CachingChat && parameter.Type.TrimEnd('?') == "global::Microsoft.Extensions.AI.ChatOptions")
            {
                writer.Line($"{scope}.InConversation({parameter.Name}?.ConversationId);");
            }
        }
    }

    /// <summary>The recorder of an agent's runs: the agent's name is known only at run time; a run is slow next to the lookup.</summary>
    public static void WriteAgentRecorder(SourceWriter writer)
    {
        writer.Line("// The recorder of one agent's runs, under the name the agent has at run time.");
        writer.Line($"internal static {Runtime}.Profiling.OperationRecorder {AgentRecorder}(global::Microsoft.Agents.AI.AIAgent? agent) =>");
        writer.Line($"    {Runtime}.Profiling.OperationRegistry.GetOrAddCall(");
        writer.Line($"        {Runtime}.Profiling.OperationKind.Agent, agent?.Name is {{ Length: > 0 }} name ? name : agent?.GetType().Name ?? \"agent\", \"agents\", null, null, \"invoke_agent\");");
    }
}
