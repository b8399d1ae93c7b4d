using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Maran.Instrument.Analyzers.Tests;

/// <summary>MARAN001 with Microsoft.Extensions.AI: what counts as a model call, and what counts as monitored.</summary>
public class ModelCallAnalyzerTests
{
    private const string Usings = """
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        using Maran.Instrument;
        using Maran.Instrument.Profiling;
        using Microsoft.Extensions.AI;

        """;

    private static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        Verify.AnalyzerAsync<ModelCallAnalyzer>(Usings + source, expected);

    [Fact]
    public async Task An_unmonitored_chat_client_call_is_reported_with_the_api_it_calls()
    {
        await VerifyAsync(
            """
            public class Agent(IChatClient client)
            {
                public async Task<string> AskAsync(List<ChatMessage> messages) => (await {|#0:client.GetResponseAsync(messages)|}).Text;
            }
            """,
            new DiagnosticResult(MaranDiagnostics.UnmonitoredModelCall).WithLocation(0).WithArguments(
                "IChatClient.GetResponseAsync",
                "the call is measured (timed, its tokens and cost recorded by the generated interceptor), but its time, tokens and cost belong to no operation of the application"));
    }

    [Fact]
    public async Task The_message_says_the_call_is_not_measured_when_the_project_turns_model_calls_off()
    {
        await Verify.AnalyzerAsync<ModelCallAnalyzer>(
            Usings + """
            public class Agent(IChatClient client)
            {
                public Task<ChatResponse> AskAsync(string prompt) => {|#0:client.GetResponseAsync(prompt)|};
            }
            """,
            new Verify.Options { GlobalConfig = "build_property.MaranInstrumentModelCalls = false" },
            new DiagnosticResult(MaranDiagnostics.UnmonitoredModelCall).WithLocation(0).WithArguments(
                "ChatClientExtensions.GetResponseAsync",
                "the call is not measured either, because this project sets MaranInstrumentModelCalls to false"));
    }

    [Fact]
    public async Task The_message_says_the_call_is_not_measured_when_the_project_turns_instrumentation_off()
    {
        await Verify.AnalyzerAsync<ModelCallAnalyzer>(
            Usings + """
            public class Agent(IChatClient client)
            {
                public Task<ChatResponse> AskAsync(string prompt) => {|#0:client.GetResponseAsync(prompt)|};
            }
            """,
            new Verify.Options { GlobalConfig = "build_property.MaranInstrumentEnabled = False" },
            new DiagnosticResult(MaranDiagnostics.UnmonitoredModelCall).WithLocation(0).WithArguments(
                "ChatClientExtensions.GetResponseAsync",
                "the call is not measured either, because this project sets MaranInstrumentEnabled to false"));
    }

    [Fact]
    public async Task The_message_says_the_call_is_not_measured_in_a_method_marked_DoNotMonitor()
    {
        await VerifyAsync(
            """
            [MonitorComponent("agent")]
            public class Agent(IChatClient client)
            {
                [DoNotMonitor]
                public Task<ChatResponse> WarmUpAsync() => {|#0:client.GetResponseAsync("ping")|};
            }
            """,
            new DiagnosticResult(MaranDiagnostics.UnmonitoredModelCall).WithLocation(0).WithArguments(
                "ChatClientExtensions.GetResponseAsync",
                "the call is not measured either, because 'Agent.WarmUpAsync' is marked [DoNotMonitor]"));
    }

    [Fact]
    public async Task The_extension_overloads_for_a_prompt_string_and_for_streaming_are_model_calls()
    {
        await VerifyAsync(
            """
            public class Agent(IChatClient client)
            {
                public async Task<string> AskAsync(string prompt)
                {
                    var text = "";
                    await foreach (var update in {|MARAN001:client.GetStreamingResponseAsync(prompt)|})
                    {
                        text += update.Text;
                    }

                    return text + (await {|MARAN001:client.GetResponseAsync(prompt)|}).Text;
                }
            }
            """);
    }

    [Fact]
    public async Task Generic_structured_output_and_embedding_generation_are_model_calls()
    {
        await VerifyAsync(
            """
            public record Answer(string Text);

            public class Agent(IChatClient client, IEmbeddingGenerator<string, Embedding<float>> embedder)
            {
                public async Task<float> RunAsync(string prompt)
                {
                    ChatResponse<Answer> answer = await {|MARAN001:client.GetResponseAsync<Answer>(prompt)|};
                    var vector = await {|MARAN001:embedder.GenerateVectorAsync(answer.Result.Text)|};
                    var many = await {|MARAN001:embedder.GenerateAsync(new[] { "a", "b" })|};
                    return vector.Span[0] + many.Count;
                }
            }
            """);
    }

    [Fact]
    public async Task A_call_inside_a_monitored_method_its_lambdas_and_its_local_functions_is_not_reported()
    {
        await VerifyAsync(
            """
            public class Agent(IChatClient client)
            {
                [MonitorOperation("ask", "agent")]
                public async Task<string> AskAsync(string prompt)
                {
                    var first = await client.GetResponseAsync(prompt);
                    var all = await Task.WhenAll(new[] { "a", "b" }.Select(async p => (await client.GetResponseAsync(p)).Text));
                    return first.Text + string.Concat(all) + await LocalAsync();

                    async Task<string> LocalAsync() => (await client.GetResponseAsync("local")).Text;
                }
            }
            """);
    }

    [Fact]
    public async Task Lambdas_and_local_functions_of_an_unmonitored_method_are_reported()
    {
        await VerifyAsync(
            """
            public class Agent(IChatClient client)
            {
                public async Task<int> AskAsync()
                {
                    System.Func<Task<ChatResponse>> lambda = () => {|MARAN001:client.GetResponseAsync("a")|};
                    await lambda();
                    return (await LocalAsync()).Messages.Count;

                    Task<ChatResponse> LocalAsync() => {|MARAN001:client.GetResponseAsync("b")|};
                }
            }
            """);
    }

    [Fact]
    public async Task Top_level_statements_are_reported_unless_timed_by_a_profiler_operation()
    {
        await Verify.AnalyzerAsync<ModelCallAnalyzer>(
            Usings + """
            IChatClient client = null!;
            var profiler = AdvancedMonitoringSystem.Default.Profiler;
            await {|MARAN001:client.GetResponseAsync("unmonitored")|};
            using (profiler.Operation("first", "program"))
            {
                await client.GetResponseAsync("timed by a using block");
            }

            using var operation = profiler.Operation("second", "program");
            await client.GetResponseAsync("timed by a using declaration");
            """,
            new Verify.Options { OutputKind = OutputKind.ConsoleApplication });
    }

    [Fact]
    public async Task A_using_declaration_times_the_statements_after_it_not_before()
    {
        await VerifyAsync(
            """
            public class Agent(IChatClient client, PerformanceProfiler profiler)
            {
                public async Task RunAsync(int mode)
                {
                    await {|MARAN001:client.GetResponseAsync("before")|};
                    using var operation = profiler.Operation("run", "agent");
                    await client.GetResponseAsync("after");
                    switch (mode)
                    {
                        case 1:
                            await client.GetResponseAsync("in a switch section of the timed block");
                            break;
                    }
                }

                public async Task SwitchAsync(int mode)
                {
                    switch (mode)
                    {
                        case 1:
                            using (var handle = profiler.Operation("one", "agent"))
                            {
                                await client.GetResponseAsync("timed");
                            }

                            await {|MARAN001:client.GetResponseAsync("after the block")|};
                            break;
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task A_call_after_StartOperation_in_the_same_block_is_not_reported()
    {
        await VerifyAsync(
            """
            public class Agent(IChatClient client, PerformanceProfiler profiler)
            {
                public async Task RunAsync()
                {
                    OperationToken token = profiler.StartOperation("run", "agent");
                    try
                    {
                        await client.GetResponseAsync("timed by hand");
                    }
                    finally
                    {
                        profiler.EndOperation(token);
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task Methods_of_a_component_type_are_monitored_except_those_marked_DoNotMonitor()
    {
        await VerifyAsync(
            """
            [MonitorComponent("llm")]
            public class Llm(IChatClient client)
            {
                public Task<ChatResponse> AskAsync(string prompt) => CallAsync(prompt);

                private Task<ChatResponse> CallAsync(string prompt) => client.GetResponseAsync(prompt);

                [DoNotMonitor]
                public Task<ChatResponse> WarmUpAsync() => {|MARAN001:client.GetResponseAsync("warm up")|};
            }
            """);
    }

    [Fact]
    public async Task An_override_of_a_monitored_method_is_monitored_through_the_inherited_attribute()
    {
        await VerifyAsync(
            """
            public abstract class Step
            {
                [MonitorOperation("step", "pipeline")]
                public abstract Task<ChatResponse> RunAsync(IChatClient client);
            }

            public sealed class Generate : Step
            {
                public override Task<ChatResponse> RunAsync(IChatClient client) => client.GetResponseAsync("generate");
            }
            """);
    }

    [Fact]
    public async Task Look_alike_types_and_methods_in_other_namespaces_are_not_model_calls()
    {
        await VerifyAsync(
            """
            namespace Fake
            {
                public interface IChatClient
                {
                    Task<string> GetResponseAsync(string prompt);
                }

                public class Cache
                {
                    public Task<string> GetResponseAsync(string key) => Task.FromResult(key);

                    public Task<string> GenerateAsync(string key) => Task.FromResult(key);
                }

                public class User(IChatClient client, Cache cache)
                {
                    public async Task<string> RunAsync() => await client.GetResponseAsync("x") + await cache.GetResponseAsync("y") + await cache.GenerateAsync("z");
                }
            }
            """);
    }

    [Fact]
    public async Task Other_members_of_the_chat_client_are_not_model_calls()
    {
        await VerifyAsync(
            """
            public class Agent(IChatClient client)
            {
                public object? Metadata() => client.GetService(typeof(ChatClientMetadata));

                public void Close() => client.Dispose();
            }
            """);
    }

    [Fact]
    public async Task A_chat_client_of_your_own_is_a_model_call_and_its_own_implementation_is_not_reported()
    {
        await VerifyAsync(
            """
            public sealed class Retrying(IChatClient inner) : DelegatingChatClient(inner)
            {
                public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, System.Threading.CancellationToken cancellationToken = default)
                {
                    try
                    {
                        return await base.GetResponseAsync(messages, options, cancellationToken);
                    }
                    catch (System.TimeoutException)
                    {
                        return await InnerClient.GetResponseAsync(messages, options, cancellationToken);
                    }
                }
            }

            public class Agent(Retrying client)
            {
                public Task<ChatResponse> AskAsync(List<ChatMessage> messages) => {|MARAN001:client.GetResponseAsync(messages)|};
            }
            """);
    }

    [Fact]
    public async Task ModelCall_marks_a_method_of_your_own_as_a_model_call()
    {
        await VerifyAsync(
            """
            public class Gateway
            {
                [ModelCall]
                public virtual Task<string> CompleteAsync(string prompt) => Task.FromResult(prompt);
            }

            public class Local : Gateway
            {
                public override Task<string> CompleteAsync(string prompt) => Task.FromResult("local");
            }

            public class Agent(Gateway gateway, Local local, IChatClient client)
            {
                public Task<string> AskAsync() => {|MARAN001:gateway.CompleteAsync("a")|};

                public Task<string> AskLocallyAsync() => {|MARAN001:local.CompleteAsync("b")|};
            }

            public class Wrapper(IChatClient client)
            {
                [ModelCall]
                public async Task<string> CompleteAsync(string prompt) => (await client.GetResponseAsync(prompt)).Text;
            }
            """);
    }

    [Fact]
    public async Task A_model_call_that_is_itself_monitored_is_not_reported()
    {
        await VerifyAsync(
            """
            public class Gateway
            {
                [ModelCall]
                [MonitorOperation("complete", "gateway")]
                public Task<string> CompleteAsync(string prompt) => Task.FromResult(prompt);
            }

            public class Agent(Gateway gateway)
            {
                public Task<string> AskAsync() => gateway.CompleteAsync("a");
            }
            """);
    }

    [Fact]
    public async Task ModelApi_on_the_assembly_adds_a_type_method_including_open_generic_types()
    {
        await VerifyAsync(
            """
            [assembly: ModelApi(typeof(Vendor.Client), nameof(Vendor.Client.Send))]
            [assembly: ModelApi(typeof(Vendor.Typed<>), "*")]

            namespace Vendor
            {
                public class Client
                {
                    public string Send(string prompt) => prompt;

                    public string Status() => "ok";
                }

                public class Typed<T>
                {
                    public T Echo(T value) => value;
                }

                public class User(Client client, Typed<int> typed)
                {
                    public string Run() => {|MARAN001:client.Send("a")|} + client.Status() + {|MARAN001:typed.Echo(1)|};
                }
            }
            """);
    }

    [Fact]
    public async Task ModelApi_declared_by_a_referenced_library_extends_the_list_for_its_consumers()
    {
        var library = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(
            "Vendor",
            [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("""
                [assembly: Maran.Instrument.ModelApi(typeof(Vendor.Client), "Send")]

                namespace Vendor
                {
                    public class Client
                    {
                        public string Send(string prompt) => prompt;

                        public string Status() => "ok";
                    }
                }
                """)],
            TestReferences.Framework,
            new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        Assert.True(library.Emit(image).Success);
        var test = new Microsoft.CodeAnalysis.CSharp.Testing.CSharpAnalyzerTest<ModelCallAnalyzer, DefaultVerifier>
        {
            TestCode = """
                public class User(Vendor.Client client)
                {
                    public string Run() => {|MARAN001:client.Send("a")|} + client.Status();
                }
                """,
            ReferenceAssemblies = TestReferences.NoPackages,
        };
        test.TestState.AdditionalReferences.AddRange(TestReferences.Framework);
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromImage(image.ToArray()));
        await test.RunAsync();
    }

    [Fact]
    public async Task A_global_config_option_adds_model_apis_for_the_whole_project_and_an_editorconfig_section_does_not()
    {
        const string source = Usings + """
            namespace Vendor
            {
                public class Client
                {
                    public string Send(string prompt) => prompt;
                }

                public class User(Client client)
                {
                    public string Run() => {|MARAN001:client.Send("a")|};
                }
            }
            """;

        string unflagged = source.Replace("{|MARAN001:", "").Replace(")|}", ")");
        await Verify.AnalyzerAsync<ModelCallAnalyzer>(source, new Verify.Options { GlobalConfig = "maran_instrument.model_apis = M:Vendor.Client.Send, Vendor.Other.Call" });
        await Verify.AnalyzerAsync<ModelCallAnalyzer>(unflagged, new Verify.Options { EditorConfig = "maran_instrument.model_apis = Vendor.Client.Send" });
        await Verify.AnalyzerAsync<ModelCallAnalyzer>(unflagged);
    }

    [Fact]
    public async Task The_rule_can_be_silenced_for_a_file_like_any_analyzer_rule()
    {
        await Verify.AnalyzerAsync<ModelCallAnalyzer>(
            Usings + """
            public class Agent(IChatClient client)
            {
                public Task<ChatResponse> AskAsync() => client.GetResponseAsync("a");
            }
            """,
            new Verify.Options { EditorConfig = "dotnet_diagnostic.MARAN001.severity = none" });
    }

    [Fact]
    public async Task Nothing_is_reported_in_a_project_that_does_not_reference_Maran_Instrument()
    {
        var test = new Microsoft.CodeAnalysis.CSharp.Testing.CSharpAnalyzerTest<ModelCallAnalyzer, DefaultVerifier>
        {
            TestCode = """
                using System.Threading.Tasks;
                using Microsoft.Extensions.AI;

                public class Agent(IChatClient client)
                {
                    public Task<ChatResponse> AskAsync() => client.GetResponseAsync("a");
                }
                """,
            ReferenceAssemblies = TestReferences.NoPackages,
        };
        test.TestState.AdditionalReferences.AddRange(TestReferences.Framework.Where(r => !r.Display!.EndsWith("Maran.Instrument.dll", StringComparison.Ordinal)));
        test.TestState.AdditionalReferences.AddRange(TestReferences.Libraries(TestReferences.ExtensionsAI));
        await test.RunAsync();
    }
}
