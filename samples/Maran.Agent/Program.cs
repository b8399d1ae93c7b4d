using Maran.Instrument;

// A first monitored program: three stages of a toy question-answering agent, each one a monitored operation.
var monitoring = AdvancedMonitoringSystem.Default;
monitoring.Start();

var agent = new Agent();
int queries = args.Length > 0 && int.TryParse(args[0], out int n) ? n : 20;
for (int i = 0; i < queries; i++)
{
    try
    {
        string answer = await agent.AnswerAsync($"question {i}");
        Console.WriteLine(answer);
    }
    catch (InvalidOperationException ex)
    {
        Console.WriteLine($"query {i} failed: {ex.Message}");
    }
}

Console.WriteLine();
Console.WriteLine($"{"operation",-22} {"component",-10} {"calls",6} {"errors",6} {"p50 ms",8} {"p95 ms",8} {"max ms",8}");
foreach (OperationSummary op in monitoring.Profiler.GetPerformanceSummary().Operations)
{
    Console.WriteLine($"{op.Name,-22} {op.Component,-10} {op.Count,6} {op.Errors,6} {op.P50Ms,8:F3} {op.P95Ms,8:F3} {op.MaxMs,8:F3}");
}

monitoring.Stop();

/// <summary>A toy agent: tokenize, retrieve, generate.</summary>
internal sealed class Agent
{
    private static readonly string[] Documents =
    [
        "Interceptors replace a call at compile time.",
        "A histogram gives percentiles of durations.",
        "Cancellation is not an error.",
    ];

    [MonitorOperation("answer", "agent")]
    public async Task<string> AnswerAsync(string question)
    {
        string[] tokens = Tokenize(question);
        string context = Retrieve(tokens);
        return await GenerateAsync(question, context);
    }

    [MonitorOperation("tokenize", "agent")]
    private static string[] Tokenize(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [MonitorOperation("retrieve", "rag")]
    private static string Retrieve(string[] tokens) =>
        Documents[Math.Abs(string.Join(' ', tokens).GetHashCode(StringComparison.Ordinal)) % Documents.Length];

    [MonitorOperation("generate", "model")]
    private static async Task<string> GenerateAsync(string question, string context)
    {
        await Task.Delay(Random.Shared.Next(2, 12));
        if (Random.Shared.Next(10) == 0)
        {
            throw new InvalidOperationException("the model is overloaded");
        }

        return $"{question}: {context}";
    }
}
