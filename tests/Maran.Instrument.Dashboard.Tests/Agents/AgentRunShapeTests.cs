using System.Text.Json;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>
/// The shapes of runs the section draws, made with the calls generated interceptors make
/// (<see cref="OperationScope.StartCall"/>): nested agents, steps still running when the run ends, and runs past the
/// step bound.
/// </summary>
public sealed class AgentRunShapeTests
{
    [Fact]
    public async Task An_agent_called_from_a_tool_of_another_is_a_step_of_the_outer_run_and_its_own_calls_hang_under_it()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();
        string outer = AgentsSectionTests.Unique("outer");
        string inner = AgentsSectionTests.Unique("inner");
        OperationRecorder delegateTool = Tool("delegate");

        using (Call(Agent(outer)))
        {
            using (Call(delegateTool))
            {
                using (Call(Agent(inner)))
                {
                    using (Call(Tool("lookup")))
                    {
                    }
                }
            }
        }

        JsonElement run = await RunAsync(server, outer);
        JsonElement[] steps = [.. run.GetProperty("steps").EnumerateArray()];
        Assert.Equal(["agent", "tool", "agent", "tool"], steps.Select(s => s.GetProperty("kind").GetString()));
        Assert.Equal([-1, 0, 1, 2], steps.Select(s => s.GetProperty("parent").GetInt32()));
        Assert.Equal([0, 1, 2, 3], steps.Select(s => s.GetProperty("depth").GetInt32()));
        Assert.Equal(inner, steps[2].GetProperty("name").GetString());
        Assert.DoesNotContain(AgentRuns.Recent(), r => r.Agent == inner);
    }

    [Fact]
    public async Task A_step_still_running_when_its_run_ends_is_shown_as_running_with_no_duration()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();
        string agent = AgentsSectionTests.Unique("detached");
        OperationScope left;

        using (Call(Agent(agent)))
        {
            left = OperationScope.StartCall(Tool("background"), null);
            left.Detach();
        }

        JsonElement step = (await RunAsync(server, agent)).GetProperty("steps")[1];
        left.Complete();
        Assert.Equal("running", step.GetProperty("status").GetString());
        Assert.False(step.TryGetProperty("durationMs", out _));
    }

    [Fact]
    public async Task A_run_keeps_its_first_steps_up_to_the_bound_and_counts_the_others()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();
        string agent = AgentsSectionTests.Unique("busy");
        OperationRecorder tool = Tool("repeat");
        const int Tools = AgentRuns.MaxSteps + 10;

        using (Call(Agent(agent)))
        {
            for (int i = 0; i < Tools; i++)
            {
                using (Call(tool))
                {
                }
            }
        }

        JsonElement run = await RunAsync(server, agent);
        Assert.Equal(AgentRuns.MaxSteps, run.GetProperty("steps").GetArrayLength());
        Assert.Equal(Tools + 1 - AgentRuns.MaxSteps, run.GetProperty("droppedSteps").GetInt32());
        Assert.Equal(Tools, tool.Snapshot().Succeeded);
    }

    private static OperationRecorder Agent(string name) => OperationRegistry.GetOrAddCall(OperationKind.Agent, name, "agents", null, null, "invoke_agent");

    private static OperationRecorder Tool(string name) => OperationRegistry.GetOrAddCall(OperationKind.Tool, name, "tools", null, null, "execute_tool");

    private static CallScope Call(OperationRecorder recorder) => new(OperationScope.StartCall(recorder, null));

    private static async Task<JsonElement> RunAsync(TestDashboard server, string agent)
    {
        long id = (await AgentsSectionTests.RowsAsync(server, agent)).Single().GetProperty("id").GetInt64();
        return (await server.GetJsonAsync($"api/agents?q={agent}&selected={id}")).GetProperty("run");
    }

    // A call as a generated interceptor makes it on the synchronous path: started, completed, then detached.
    private readonly struct CallScope(OperationScope scope) : IDisposable
    {
        public void Dispose()
        {
            scope.Complete();
            scope.Detach();
        }
    }
}
