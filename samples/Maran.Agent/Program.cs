using System.Globalization;
using Maran.Agent;
using Maran.Instrument;

// The monitored Maran agent: answers questions from its documents with a model it carries, while
// Maran.Instrument measures every stage. Ctrl+C (or --duration / --queries) stops it cleanly.
WorkloadArguments arguments;
try
{
    arguments = WorkloadArguments.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(WorkloadArguments.Usage);
    return 2;
}

using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopping.Cancel();
};
if (arguments.Duration is { } duration)
{
    stopping.CancelAfter(duration);
}

var monitoring = AdvancedMonitoringSystem.Default;
try
{
    monitoring.Start();
}
catch (MonitoringConfigurationException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}

using MonitoredMaranSystem agent = await MonitoredMaranSystem.CreateAsync(
    monitoring,
    new AgentOptions { ErrorRate = arguments.ErrorRate, TokenLatency = arguments.TokenLatency });
Console.WriteLine($"Maran agent ready (model {agent.Model.ModelName}); {arguments.Describe()}. Ctrl+C stops.");

int answered = 0;
int failed = 0;
var questions = new QuestionSource();
var interval = TimeSpan.FromSeconds(1 / arguments.Rate);
for (int i = 0; arguments.Queries is not { } limit || i < limit; i++)
{
    if (stopping.IsCancellationRequested)
    {
        break;
    }

    string question = questions.Next();
    try
    {
        string answer = await agent.ProcessQuery(question, stopping.Token);
        answered++;
        Console.WriteLine($"Q: {question}\nA: {answer}\n");
    }
    catch (OperationCanceledException) when (stopping.IsCancellationRequested)
    {
        break;
    }
    catch (Exception ex)
    {
        failed++;
        Console.WriteLine($"Q: {question}\n!  {ex.GetType().Name}: {ex.Message}\n");
    }

    try
    {
        await Task.Delay(interval, stopping.Token);
    }
    catch (OperationCanceledException)
    {
        break;
    }
}

Console.WriteLine($"{answered} answered, {failed} failed.");
Console.WriteLine();
Console.WriteLine($"{"operation",-16} {"component",-10} {"calls",6} {"errors",6} {"p50 ms",8} {"p95 ms",8} {"max ms",8}");
foreach (OperationSummary op in monitoring.Profiler.GetPerformanceSummary().Operations)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{op.Name,-16} {op.Component,-10} {op.Count,6} {op.Errors,6} {op.P50Ms,8:F2} {op.P95Ms,8:F2} {op.MaxMs,8:F2}"));
}

monitoring.Stop();
return 0;
