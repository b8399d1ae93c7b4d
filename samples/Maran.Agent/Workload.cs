using System.Threading.Channels;
using Maran.Instrument;

namespace Maran.Agent;

/// <summary>
/// Asks the agent questions at a steady rate with a few workers answering, feeding the queue depth to the health
/// monitor as the custom metric <c>queue_depth</c>. Stops after a number of queries, a duration, or cancellation,
/// finishing or cancelling the queries in flight.
/// </summary>
public static class Workload
{
    /// <summary>Workers answering in parallel.</summary>
    public const int Workers = 4;

    /// <summary>What the workload did.</summary>
    public sealed record Result(int Answered, int Failed);

    public static async Task<Result> RunAsync(MonitoredMaranSystem agent, int? queries, double rate, TextWriter output, CancellationToken cancellationToken)
    {
        var waiting = Channel.CreateBounded<string>(new BoundedChannelOptions(1000) { SingleWriter = true });
        var questions = new QuestionSource();
        int answered = 0;
        int failed = 0;

        Task producer = Task.Run(async () =>
        {
            using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1 / rate));
            try
            {
                for (int i = 0; queries is not { } limit || i < limit; i++)
                {
                    await waiting.Writer.WriteAsync(questions.Next(), cancellationToken).ConfigureAwait(false);
                    agent.Monitoring.HealthMonitor.SetCustomMetric("queue_depth", waiting.Reader.Count, "queries");
                    await tick.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                waiting.Writer.TryComplete();
            }
        }, CancellationToken.None);

        Task[] workers = [.. Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            await foreach (string question in waiting.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    continue;
                }

                agent.Monitoring.HealthMonitor.SetCustomMetric("queue_depth", waiting.Reader.Count, "queries");
                try
                {
                    string answer = await agent.ProcessQuery(question, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref answered);
                    lock (output)
                    {
                        output.WriteLine($"Q: {question}\nA: {answer}\n");
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                }
                catch (Exception ex)
                {
                    Interlocked.Increment(ref failed);
                    agent.Monitoring.Logger.Warning(ex, "Could not answer {Question}", question);
                    lock (output)
                    {
                        output.WriteLine($"Q: {question}\n!  {ex.GetType().Name}: {ex.Message}\n");
                    }
                }
            }
        }, CancellationToken.None))];

        await producer.ConfigureAwait(false);
        await Task.WhenAll(workers).ConfigureAwait(false);
        return new Result(answered, failed);
    }
}
