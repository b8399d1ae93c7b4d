using Maran.Instrument.CodeFixes;
using Microsoft.CodeAnalysis;

namespace Maran.Instrument.Analyzers.Tests;

/// <summary>MARAN001's first fix: [MonitorOperation] on the method that makes the model call.</summary>
public class AddMonitorOperationCodeFixTests
{
    private static Task VerifyAsync(string source, string fixedSource, Verify.Options? options = null) =>
        Verify.CodeFixAsync<ModelCallAnalyzer, AddMonitorOperationCodeFixProvider>(source, fixedSource, options);

    [Fact]
    public async Task The_method_gets_its_name_and_its_types_name_in_snake_case()
    {
        await VerifyAsync(
            """
            using System.Threading.Tasks;
            using Maran.Instrument;
            using Microsoft.Extensions.AI;

            public class ChatAgent(IChatClient client)
            {
                /// <summary>Asks the model.</summary>
                public async Task<string> AskLLMAsync(string prompt) => (await {|MARAN001:client.GetResponseAsync(prompt)|}).Text;
            }
            """,
            """
            using System.Threading.Tasks;
            using Maran.Instrument;
            using Microsoft.Extensions.AI;

            public class ChatAgent(IChatClient client)
            {
                /// <summary>Asks the model.</summary>
                [MonitorOperation("ask_llm", "chat_agent")]
                public async Task<string> AskLLMAsync(string prompt) => (await client.GetResponseAsync(prompt)).Text;
            }
            """);
    }

    [Fact]
    public async Task The_using_is_added_after_the_System_ones_and_attributes_already_there_are_kept()
    {
        await VerifyAsync(
            """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            namespace Agents;

            public class Agent(IChatClient client)
            {
                [System.Obsolete("use the new one")]
                public Task<ChatResponse> Answer(string prompt) => {|MARAN001:client.GetResponseAsync(prompt)|};
            }
            """,
            """
            using System.Threading.Tasks;
            using Maran.Instrument;
            using Microsoft.Extensions.AI;

            namespace Agents;

            public class Agent(IChatClient client)
            {
                [System.Obsolete("use the new one")]
                [MonitorOperation("answer", "agent")]
                public Task<ChatResponse> Answer(string prompt) => client.GetResponseAsync(prompt);
            }
            """);
    }

    [Fact]
    public async Task Calls_in_lambdas_and_local_functions_monitor_the_method_around_them_once()
    {
        await VerifyAsync(
            """
            using System.Linq;
            using System.Threading.Tasks;
            using Maran.Instrument;
            using Microsoft.Extensions.AI;

            public class Agent(IChatClient client)
            {
                public async Task<int> FanOutAsync(string[] prompts)
                {
                    var responses = await Task.WhenAll(prompts.Select(p => {|MARAN001:client.GetResponseAsync(p)|}));
                    return responses.Length + (await LocalAsync()).Messages.Count;

                    Task<ChatResponse> LocalAsync() => {|MARAN001:client.GetResponseAsync("again")|};
                }
            }
            """,
            """
            using System.Linq;
            using System.Threading.Tasks;
            using Maran.Instrument;
            using Microsoft.Extensions.AI;

            public class Agent(IChatClient client)
            {
                [MonitorOperation("fan_out", "agent")]
                public async Task<int> FanOutAsync(string[] prompts)
                {
                    var responses = await Task.WhenAll(prompts.Select(p => client.GetResponseAsync(p)));
                    return responses.Length + (await LocalAsync()).Messages.Count;

                    Task<ChatResponse> LocalAsync() => client.GetResponseAsync("again");
                }
            }
            """);
    }

    [Fact]
    public async Task Fix_all_monitors_every_method_of_the_document_and_the_project()
    {
        await VerifyAsync(
            """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public class Planner(IChatClient client)
            {
                public Task<ChatResponse> PlanAsync() => {|MARAN001:client.GetResponseAsync("plan")|};

                public Task<ChatResponse> CritiqueAsync() => {|MARAN001:client.GetResponseAsync("critique")|};
            }

            public class Writer(IChatClient client)
            {
                public Task<ChatResponse> WriteAsync() => {|MARAN001:client.GetResponseAsync("write")|};
            }
            """,
            """
            using System.Threading.Tasks;
            using Maran.Instrument;
            using Microsoft.Extensions.AI;

            public class Planner(IChatClient client)
            {
                [MonitorOperation("plan", "planner")]
                public Task<ChatResponse> PlanAsync() => client.GetResponseAsync("plan");

                [MonitorOperation("critique", "planner")]
                public Task<ChatResponse> CritiqueAsync() => client.GetResponseAsync("critique");
            }

            public class Writer(IChatClient client)
            {
                [MonitorOperation("write", "writer")]
                public Task<ChatResponse> WriteAsync() => client.GetResponseAsync("write");
            }
            """);
    }

    [Fact]
    public async Task Top_level_statements_and_constructors_are_not_offered_the_attribute()
    {
        await Verify.NoCodeFixAsync<ModelCallAnalyzer, AddMonitorOperationCodeFixProvider>(
            """
            using Microsoft.Extensions.AI;

            IChatClient client = null!;
            await {|MARAN001:client.GetResponseAsync("hi")|};

            public class Agent
            {
                public Agent(IChatClient client) => _ = {|MARAN001:client.GetResponseAsync("warm up")|};
            }
            """,
            new Verify.Options { OutputKind = OutputKind.ConsoleApplication });
    }
}
