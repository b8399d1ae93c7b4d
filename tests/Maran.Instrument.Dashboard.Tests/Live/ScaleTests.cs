using System.Diagnostics;
using Maran.Instrument.Profiling;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Maran.Instrument.Dashboard.Tests;

[Collection(LoadCollection.Name)]
public class ScaleTests(ITestOutputHelper output)
{
    private const int Operations = 10_000;

    [Fact]
    public async Task Ten_thousand_operations_cost_a_page_and_a_bounded_set_of_trends()
    {
        string prefix = "scale-" + Guid.NewGuid().ToString("N")[..8] + "-";
        var recorders = new OperationRecorder[Operations];
        for (int i = 0; i < Operations; i++)
        {
            recorders[i] = OperationRegistry.GetOrAdd($"{prefix}{i:D5}", "scale");
        }

        await using TestDashboard server = await TestDashboard.StartAsync(time: new FakeTimeProvider());
        foreach (OperationRecorder recorder in recorders)
        {
            RecordedCalls.Add(recorder, 3, TimeSpan.FromMilliseconds(2));
        }

        var clock = Stopwatch.StartNew();
        const int ticks = 10;
        for (int i = 0; i < ticks; i++)
        {
            server.Hub.Tick();
        }

        double tickMs = clock.Elapsed.TotalMilliseconds / ticks;
        using HttpResponseMessage response = await server.Http.GetAsync($"api/performance?q={prefix}");
        byte[] page = await response.Content.ReadAsByteArrayAsync();
        byte[] trends = await server.Http.GetByteArrayAsync("api/trends");

        output.WriteLine($"{OperationRegistry.Count} operations: {tickMs:F1} ms per tick (snapshot, trends, rows, overview); performance page {page.Length:N0} bytes; trends {trends.Length:N0} bytes");
        Assert.True(response.IsSuccessStatusCode);
        Assert.InRange(page.Length, 1, 100_000);
        Assert.Equal(server.System.Options.Dashboard.TrendOperations, server.Hub.Trends.TrackedOperations);
        Assert.True(server.Hub.Trends.UntrackedActiveOperations == 0, "after the first interval no operation is active");
    }
}
