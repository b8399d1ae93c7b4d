using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Maran.Instrument.Dashboard.Tests;

public class SlowClientTests
{
    [Fact]
    public async Task A_client_that_stops_reading_is_dropped_while_the_others_get_every_tick()
    {
        var system = new AdvancedMonitoringSystem(TestDashboard.Options());
        await using var hub = new DashboardHub(system, system.Options.Dashboard, new FakeTimeProvider());
        hub.Start();
        var stuck = new FakeWebSocket(stuck: true);
        var healthy = new FakeWebSocket(stuck: false);
        Task stuckSession = hub.ServeAsync(stuck, CancellationToken.None);
        Task healthySession = hub.ServeAsync(healthy, CancellationToken.None);

        var sequences = new List<long>();
        for (int i = 0; i < LiveClient.QueueCapacity + 4; i++)
        {
            long seq = hub.Tick().Sequence;
            sequences.Add(seq);
            await WaitForTick(healthy, seq);
        }

        Assert.True(stuck.Aborted);
        Assert.Equal(1, hub.DroppedClients);
        await stuckSession.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(healthy.Aborted);
        Assert.Equal(1, hub.ClientCount);
        await hub.StopAsync();
        await healthySession.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_client_that_breaks_the_connection_is_not_counted_as_falling_behind_while_it_leaves()
    {
        var system = new AdvancedMonitoringSystem(TestDashboard.Options());
        await using var hub = new DashboardHub(system, system.Options.Dashboard, new FakeTimeProvider());
        hub.Start();
        var leaving = new FakeWebSocket(stuck: false);
        Task session = hub.ServeAsync(leaving, CancellationToken.None);
        await WaitForTick(leaving, hub.Tick().Sequence);

        // Its last send hangs while it leaves (up to the send timeout); the ticks meanwhile are fewer than its queue holds.
        leaving.Break();
        for (int i = 0; i < LiveClient.QueueCapacity - 2; i++)
        {
            hub.Tick();
            await Task.Delay(50);
        }

        Assert.Equal(0, hub.DroppedClients);
        await hub.StopAsync();
        await session.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Offering_a_tick_to_a_stuck_client_never_waits()
    {
        var system = new AdvancedMonitoringSystem(TestDashboard.Options());
        await using var hub = new DashboardHub(system, system.Options.Dashboard, new FakeTimeProvider());
        hub.Start();
        _ = hub.ServeAsync(new FakeWebSocket(stuck: true), CancellationToken.None);

        // Each tick returns although the client never reads; the queue bound turns the backlog into a drop.
        for (int i = 0; i < 100; i++)
        {
            hub.Tick();
        }

        Assert.Equal(1, hub.DroppedClients);
        await hub.StopAsync();
    }

    private static async Task WaitForTick(FakeWebSocket socket, long seq)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            JsonElement message = await socket.Sent.ReadAsync(timeout.Token);
            if (message.GetProperty("type").GetString() == "tick" && message.GetProperty("seq").GetInt64() >= seq)
            {
                return;
            }
        }
    }
}
