using System.Text.Json;
using Maran.Instrument;
using Maran.Instrument.Profiling;

var agent = new Consumer.Agent();
for (int i = 0; i < 3; i++)
{
    agent.Tokenize("a b c");
}

await agent.GenerateAsync("hello");
var counter = new Consumer.Counter();
counter.Increment();
counter.Increment();

try
{
    agent.Fail();
}
catch (InvalidOperationException)
{
}

var counts = OperationRegistry.All.ToDictionary(o => $"{o.Component}/{o.Name}", o => AdvancedMonitoringSystem.Default.Profiler.GetOperationSummary(o.Name, o.Component)!);
Console.WriteLine(JsonSerializer.Serialize(counts.ToDictionary(c => c.Key, c => new[] { c.Value.Count, c.Value.Errors })));
Console.WriteLine($"counter={counter.Value}");

namespace Consumer
{
    public class Agent
    {
        [MonitorOperation("tokenize", "consumer")]
        public string[] Tokenize(string text) => text.Split(' ');

        [MonitorOperation("generate", "consumer")]
        public async Task<string> GenerateAsync(string prompt)
        {
            await Task.Yield();
            return prompt + "!";
        }

        [MonitorOperation("fail", "consumer")]
        public void Fail() => throw new InvalidOperationException("always");
    }

    public struct Counter
    {
        public int Value;

        [MonitorOperation("increment", "consumer")]
        public void Increment() => Value++;
    }
}
