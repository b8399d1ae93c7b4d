using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Maran.Instrument.Profiling;
using Xunit.Abstractions;

namespace Maran.Instrument.Dashboard.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadCollection
{
    public const string Name = "Load";
}

[Collection(LoadCollection.Name)]
public class LoadTests(ITestOutputHelper output)
{
    private const int Clients = 50;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Fifty_live_clients_for_thirty_seconds_all_keep_up_and_every_monitored_call_is_counted()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();
        string name = "load-" + Guid.NewGuid().ToString("N")[..12];
        PerformanceProfiler profiler = server.System.Profiler;
        OperationRegistry.GetOrAdd(name, "load");
        double baseline = RunMonitoredCalls(profiler, name, TimeSpan.FromSeconds(3), out long baselineCalls);

        var sockets = new ClientWebSocket[Clients];
        for (int i = 0; i < Clients; i++)
        {
            sockets[i] = await server.ConnectAsync();
            if (i % 2 == 0)
            {
                // Half watch the performance table, so their ticks carry a view; half only the overview.
                await sockets[i].SendJsonAsync($$"""{"type":"view","id":1,"section":"performance","size":50}""");
            }
        }

        using var stop = new CancellationTokenSource(Duration);
        Task<ClientStats>[] readers = [.. sockets.Select(s => ReadUntilStopped(s, stop.Token))];
        (double during, long duringCalls) = await Task.Run(() => (RunMonitoredCalls(profiler, name, Duration, out long calls), calls));
        ClientStats[] stats = await Task.WhenAll(readers);
        foreach (ClientWebSocket socket in sockets)
        {
            socket.Abort();
            socket.Dispose();
        }

        output.WriteLine($"monitored calls/s: {baseline:F0} before the clients, {during:F0} with {Clients} clients");
        output.WriteLine($"ticks per client: min {stats.Min(s => s.Ticks)}, max {stats.Max(s => s.Ticks)}; bytes per client: max {stats.Max(s => s.Bytes):N0}");
        Assert.Equal(0, server.Hub.DroppedClients);
        Assert.All(stats, s => Assert.Equal(0, s.Gaps));
        // Every client saw every tick of the window (the interval may grow past a second when ticks are costly).
        Assert.InRange(stats.Max(s => s.Ticks) - stats.Min(s => s.Ticks), 0, 2);
        Assert.InRange(stats.Min(s => s.Ticks), 5, 40);
        Assert.All(stats.Where((_, i) => i % 2 == 0), s => Assert.True(s.Views > 0, "a client watching a view received it"));
        Assert.Equal(baselineCalls + duringCalls, profiler.GetOperationSummary(name, "load")!.Count);
    }

    // A monitored call that does about a millisecond of work, repeated for the given time on one thread.
    private static double RunMonitoredCalls(PerformanceProfiler profiler, string name, TimeSpan duration, out long calls)
    {
        calls = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            OperationToken token = profiler.StartOperation(name, "load");
            Thread.Sleep(1);
            profiler.EndOperation(token);
            calls++;
        }

        return calls / clock.Elapsed.TotalSeconds;
    }

    private static async Task<ClientStats> ReadUntilStopped(ClientWebSocket socket, CancellationToken stop)
    {
        var stats = new ClientStats();
        long last = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                JsonElement message = await socket.ReceiveJsonAsync(stop);
                stats.Bytes += message.GetRawText().Length;
                string? type = message.GetProperty("type").GetString();
                if (type == "view" || message.TryGetProperty("view", out _))
                {
                    stats.Views++;
                }

                if (type != "tick")
                {
                    continue;
                }

                long seq = message.GetProperty("seq").GetInt64();
                if (last != 0 && seq > last + 1)
                {
                    stats.Gaps++;
                }

                if (seq > last)
                {
                    stats.Ticks += last == 0 ? 0 : 1;
                    last = seq;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The test's time is up.
        }

        return stats;
    }

    private sealed class ClientStats
    {
        public int Ticks;
        public int Gaps;
        public int Views;
        public long Bytes;
    }
}
