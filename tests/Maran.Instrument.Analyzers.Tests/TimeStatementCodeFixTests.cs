using Maran.Instrument.CodeFixes;
using Microsoft.CodeAnalysis;

namespace Maran.Instrument.Analyzers.Tests;

/// <summary>MARAN001's second fix: the one statement that makes the model call, timed with profiler.Operation(...).</summary>
public class TimeStatementCodeFixTests
{
    private static Task VerifyAsync(string source, string fixedSource, Verify.Options? options = null) =>
        Verify.CodeFixAsync<ModelCallAnalyzer, TimeStatementCodeFixProvider>(source, fixedSource, options);

    [Fact]
    public async Task An_awaited_call_moves_into_a_using_of_the_profiler_in_scope()
    {
        await VerifyAsync(
            """
            using System.Threading.Tasks;
            using Maran.Instrument;
            using Maran.Instrument.Profiling;
            using Microsoft.Extensions.AI;

            public class Agent(IChatClient client, PerformanceProfiler profiler)
            {
                public async Task AskAsync(string prompt)
                {
                    // Ask once.
                    await {|MARAN001:client.GetResponseAsync(prompt)|};
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using Maran.Instrument;
            using Maran.Instrument.Profiling;
            using Microsoft.Extensions.AI;

            public class Agent(IChatClient client, PerformanceProfiler profiler)
            {
                public async Task AskAsync(string prompt)
                {
                    // Ask once.
                    using (profiler.Operation("get_response", "agent"))
                    {
                        await client.GetResponseAsync(prompt);
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task A_declaration_is_split_so_its_variable_stays_in_scope_and_the_default_profiler_is_used()
    {
        await VerifyAsync(
            """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public class Agent(IChatClient client)
            {
                public async Task<string> AskAsync(string prompt)
                {
                    var response = await {|MARAN001:client.GetResponseAsync(prompt)|}.ConfigureAwait(false);
                    return response.Text;
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using Maran.Instrument;
            using Microsoft.Extensions.AI;

            public class Agent(IChatClient client)
            {
                public async Task<string> AskAsync(string prompt)
                {
                    ChatResponse response;
                    using (AdvancedMonitoringSystem.Default.Profiler.Operation("get_response", "agent"))
                    {
                        response = await client.GetResponseAsync(prompt).ConfigureAwait(false);
                    }

                    return response.Text;
                }
            }
            """);
    }

    [Fact]
    public async Task Top_level_statements_use_the_monitoring_system_declared_before_them()
    {
        await VerifyAsync(
            """
            using Maran.Instrument;
            using Microsoft.Extensions.AI;

            var monitoring = AdvancedMonitoringSystem.Default;
            IChatClient client = null!;
            ChatResponse answer = await {|MARAN001:client.GetResponseAsync("hi")|};
            System.Console.WriteLine(answer.Text);
            """,
            """
            using Maran.Instrument;
            using Microsoft.Extensions.AI;

            var monitoring = AdvancedMonitoringSystem.Default;
            IChatClient client = null!;
            ChatResponse answer;
            using (monitoring.Profiler.Operation("get_response", "program"))
            {
                answer = await client.GetResponseAsync("hi");
            }

            System.Console.WriteLine(answer.Text);
            """,
            new Verify.Options { OutputKind = OutputKind.ConsoleApplication });
    }

    [Fact]
    public async Task A_stream_is_timed_for_the_whole_await_foreach()
    {
        await VerifyAsync(
            """
            using System.Threading.Tasks;
            using Maran.Instrument;
            using Microsoft.Extensions.AI;

            public class Agent(IChatClient client, AdvancedMonitoringSystem monitoring)
            {
                public async Task<int> StreamAsync()
                {
                    int count = 0;
                    await foreach (var update in {|MARAN001:client.GetStreamingResponseAsync("hi")|})
                    {
                        count++;
                    }

                    return count;
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using Maran.Instrument;
            using Microsoft.Extensions.AI;

            public class Agent(IChatClient client, AdvancedMonitoringSystem monitoring)
            {
                public async Task<int> StreamAsync()
                {
                    int count = 0;
                    using (monitoring.Profiler.Operation("get_streaming_response", "agent"))
                    {
                        await foreach (var update in client.GetStreamingResponseAsync("hi"))
                        {
                            count++;
                        }
                    }

                    return count;
                }
            }
            """);
    }

    [Fact]
    public async Task A_variable_of_an_anonymous_type_is_timed_by_a_using_declaration_before_it()
    {
        await VerifyAsync(
            """
            using System.Threading.Tasks;
            using Maran.Instrument;
            using Maran.Instrument.Profiling;
            using Microsoft.Extensions.AI;

            public class Agent(IChatClient client, PerformanceProfiler profiler)
            {
                public async Task<string> AskAsync(string operation)
                {
                    var pair = new { Question = operation, Answer = await {|MARAN001:client.GetResponseAsync(operation)|} };
                    return pair.Answer.Text;
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using Maran.Instrument;
            using Maran.Instrument.Profiling;
            using Microsoft.Extensions.AI;

            public class Agent(IChatClient client, PerformanceProfiler profiler)
            {
                public async Task<string> AskAsync(string operation)
                {
                    using var operation2 = profiler.Operation("get_response", "agent");
                    var pair = new { Question = operation, Answer = await client.GetResponseAsync(operation) };
                    return pair.Answer.Text;
                }
            }
            """);
    }

    [Fact]
    public async Task A_synchronous_model_call_is_timed_and_an_unawaited_task_is_not_offered_the_fix()
    {
        await VerifyAsync(
            """
            using System.Threading.Tasks;
            using Maran.Instrument;
            using Maran.Instrument.Profiling;
            using Microsoft.Extensions.AI;

            public class Gateway
            {
                [ModelCall]
                public string Complete(string prompt) => prompt;
            }

            public class Agent(Gateway gateway, IChatClient client, PerformanceProfiler profiler)
            {
                public void Run()
                {
                    if (gateway is not null)
                        {|MARAN001:gateway.Complete("a")|};
                }

                public Task<ChatResponse> Start()
                {
                    return {|MARAN001:client.GetResponseAsync("b")|};
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using Maran.Instrument;
            using Maran.Instrument.Profiling;
            using Microsoft.Extensions.AI;

            public class Gateway
            {
                [ModelCall]
                public string Complete(string prompt) => prompt;
            }

            public class Agent(Gateway gateway, IChatClient client, PerformanceProfiler profiler)
            {
                public void Run()
                {
                    if (gateway is not null)
                        using (profiler.Operation("complete", "agent"))
                        {
                            gateway.Complete("a");
                        }
                }

                public Task<ChatResponse> Start()
                {
                    return {|MARAN001:client.GetResponseAsync("b")|};
                }
            }
            """);
    }

    [Fact]
    public async Task A_statement_in_a_lambda_of_a_static_method_does_not_use_an_instance_profiler()
    {
        await VerifyAsync(
            """
            using System;
            using System.Threading.Tasks;
            using Maran.Instrument;
            using Maran.Instrument.Profiling;
            using Microsoft.Extensions.AI;

            public class Agent(PerformanceProfiler profiler)
            {
                public PerformanceProfiler Profiler => profiler;

                public static Func<Task> Later(IChatClient client) => async () =>
                {
                    await {|MARAN001:client.GetResponseAsync("later")|};
                };
            }
            """,
            """
            using System;
            using System.Threading.Tasks;
            using Maran.Instrument;
            using Maran.Instrument.Profiling;
            using Microsoft.Extensions.AI;

            public class Agent(PerformanceProfiler profiler)
            {
                public PerformanceProfiler Profiler => profiler;

                public static Func<Task> Later(IChatClient client) => async () =>
                {
                    using (AdvancedMonitoringSystem.Default.Profiler.Operation("get_response", "agent"))
                    {
                        await client.GetResponseAsync("later");
                    }
                };
            }
            """);
    }

    [Fact]
    public async Task Fix_all_times_each_statement_once()
    {
        await VerifyAsync(
            """
            using System.Threading.Tasks;
            using Maran.Instrument;
            using Maran.Instrument.Profiling;
            using Microsoft.Extensions.AI;

            public class Agent(IChatClient client, PerformanceProfiler profiler)
            {
                public async Task RunAsync()
                {
                    await {|MARAN001:client.GetResponseAsync("a")|};
                    await Task.WhenAll({|MARAN001:client.GetResponseAsync("b")|}, {|MARAN001:client.GetResponseAsync("c")|});
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using Maran.Instrument;
            using Maran.Instrument.Profiling;
            using Microsoft.Extensions.AI;

            public class Agent(IChatClient client, PerformanceProfiler profiler)
            {
                public async Task RunAsync()
                {
                    using (profiler.Operation("get_response", "agent"))
                    {
                        await client.GetResponseAsync("a");
                    }

                    await Task.WhenAll({|MARAN001:client.GetResponseAsync("b")|}, {|MARAN001:client.GetResponseAsync("c")|});
                }
            }
            """);
    }
}
