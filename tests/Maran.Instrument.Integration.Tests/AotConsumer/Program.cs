using Maran.Instrument;
using Maran.Instrument.Profiling;

AdvancedMonitoringSystem system = AdvancedMonitoringSystem.Default;
system.Start();

var calculator = new AotConsumer.Calculator();
int total = 0;
for (int i = 0; i < 5; i++)
{
    total = calculator.Add(total, i);
}

await calculator.WaitAsync();

OperationSummary add = system.Profiler.GetOperationSummary("add", "aot")!;
OperationSummary wait = system.Profiler.GetOperationSummary("wait", "aot")!;
Console.WriteLine($"add={add.Count} wait={wait.Count} total={total}");
Console.WriteLine($"health_check_interval={system.Options.Monitoring.HealthCheckInterval} storage={system.Options.Storage.Enabled}");
system.Stop();

namespace AotConsumer
{
    public sealed class Calculator
    {
        [MonitorOperation("add", "aot")]
        public int Add(int a, int b) => a + b;

        [MonitorOperation("wait", "aot")]
        public async Task WaitAsync() => await Task.Yield();
    }
}
