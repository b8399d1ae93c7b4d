using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Maran.Instrument.Dashboard.Tests;

public class LiveUpdateTests
{
    [Fact]
    public async Task A_client_gets_hello_with_every_section_then_the_current_tick()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(time: new FakeTimeProvider());
        using ClientWebSocket socket = await server.ConnectAsync();

        JsonElement hello = await socket.ReceiveJsonAsync();
        JsonElement tick = await socket.ReceiveJsonAsync();

        Assert.Equal("hello", hello.GetProperty("type").GetString());
        Assert.Equal(1000, hello.GetProperty("intervalMs").GetInt32());
        Assert.Equal(9, hello.GetProperty("sections").GetArrayLength());
        Assert.Equal("tick", tick.GetProperty("type").GetString());
        Assert.True(tick.GetProperty("overview").GetProperty("operations").GetInt32() >= 0);
    }

    [Fact]
    public async Task Ticks_come_as_the_clock_advances_in_order()
    {
        var time = new FakeTimeProvider();
        await using TestDashboard server = await TestDashboard.StartAsync(time: time);
        using ClientWebSocket socket = await server.ConnectAsync();
        await socket.ReceiveJsonAsync();
        long seq = (await socket.ReceiveJsonAsync()).GetProperty("seq").GetInt64();

        for (int i = 1; i <= 3; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(DashboardHub.MaxIntervalMs));
            long next = (await socket.ReceiveJsonAsync()).GetProperty("seq").GetInt64();
            Assert.True(next > seq, $"tick {next} after {seq}");
            seq = next;
        }
    }

    [Fact]
    public async Task A_view_is_sent_at_once_and_again_only_when_it_changed()
    {
        var time = new FakeTimeProvider();
        await using TestDashboard server = await TestDashboard.StartAsync(time: time);
        using ClientWebSocket socket = await server.ConnectAsync();
        await socket.ReceiveJsonAsync();
        await socket.ReceiveJsonAsync();

        await socket.SendJsonAsync("""{"type":"view","id":7,"section":"traces","q":"no-trace-matches-this"}""");
        JsonElement view = await socket.ReceiveJsonAsync();
        time.Advance(TimeSpan.FromMilliseconds(DashboardHub.MaxIntervalMs));
        JsonElement tick = await socket.ReceiveJsonAsync();

        Assert.Equal("view", view.GetProperty("type").GetString());
        Assert.Equal(7, view.GetProperty("id").GetInt32());
        Assert.Equal(0, view.GetProperty("data").GetProperty("total").GetInt32());
        Assert.Equal("tick", tick.GetProperty("type").GetString());
        Assert.False(tick.TryGetProperty("view", out _));
    }

    [Fact]
    public async Task A_monitored_call_reaches_a_client_watching_its_operation_on_the_next_tick()
    {
        var time = new FakeTimeProvider();
        await using TestDashboard server = await TestDashboard.StartAsync(time: time);
        string name = "live-view-" + Guid.NewGuid().ToString("N");
        using ClientWebSocket socket = await server.ConnectAsync();
        await socket.ReceiveJsonAsync();
        await socket.ReceiveJsonAsync();
        await socket.SendJsonAsync($$"""{"type":"view","id":1,"section":"performance","q":"{{name}}"}""");
        Assert.Equal(0, (await socket.ReceiveJsonAsync()).GetProperty("data").GetProperty("total").GetInt32());

        server.System.Profiler.EndOperation(server.System.Profiler.StartOperation(name, "live"));
        time.Advance(TimeSpan.FromMilliseconds(DashboardHub.MaxIntervalMs));
        JsonElement tick = await socket.ReceiveJsonAsync();

        JsonElement row = tick.GetProperty("view").GetProperty("data").GetProperty("rows")[0];
        Assert.Equal(name, row.GetProperty("name").GetString());
        Assert.Equal(1, row.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Clients_beyond_the_limit_are_refused()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o => o.Dashboard.MaxClients = 1, new FakeTimeProvider());
        using ClientWebSocket first = await server.ConnectAsync();
        await first.ReceiveJsonAsync();

        WebSocketException refused = await Assert.ThrowsAsync<WebSocketException>(() => server.ConnectAsync(o => o.CollectHttpResponseDetails = true));

        Assert.Contains("503", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_longer_than_any_view_request_ends_the_connection()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(time: new FakeTimeProvider());
        using ClientWebSocket socket = await server.ConnectAsync();
        await socket.ReceiveJsonAsync();
        await socket.ReceiveJsonAsync();

        await socket.SendAsync(new byte[LiveClient.MaxIncomingMessage + 1], WebSocketMessageType.Text, true, CancellationToken.None);

        WebSocketException closed = await Assert.ThrowsAsync<WebSocketException>(() => socket.ReceiveJsonAsync());
        Assert.Contains("MessageTooBig", closed.Message, StringComparison.Ordinal);
    }
}
