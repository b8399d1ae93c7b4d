using System.Text.Json;
using Maran.Instrument.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>
/// The fleet dashboard's trends and hourly charts, read from a server answering Prometheus's API: the past the fleet
/// had before the dashboard started, at the steps of the trend window, with gaps where no sample is.
/// </summary>
public sealed class FleetTrendsTests
{
    /// <summary>The dashboard's clock: the frame is read at this moment, and the trend window ends there.</summary>
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 30, TimeSpan.Zero);

    private static readonly (string, bool)[] s_fleet = [("a:9", true), ("b:9", true), ("c:9", false)];

    private const string UpOnly = " and on (instance) (up == 1)";

    [Fact]
    public async Task The_trends_of_a_fleet_are_read_over_the_trend_window_with_a_gap_where_a_step_has_no_sample()
    {
        await using FakePrometheus prometheus = await FakePrometheus.StartAsync(s_fleet);
        prometheus.Range = static (query, _, _, _) => query switch
        {
            _ when !query.Contains(UpOnly, StringComparison.Ordinal) => [],
            _ when query.Contains("status=\"error\"", StringComparison.Ordinal) => [Series((-2, 0.5))],
            _ when query.StartsWith("sum(rate(operation_calls_total", StringComparison.Ordinal) => [Series((-2, 4.5), (0, 6))],
            _ when query.StartsWith("sum(operation_in_flight", StringComparison.Ordinal) => [Series((-2, 3))],
            _ when query.StartsWith("histogram_quantile(0.5,", StringComparison.Ordinal) => [Series((-2, 0.004))],
            _ when query.StartsWith("histogram_quantile(0.95,", StringComparison.Ordinal) => [Series((-2, 0.012), (0, double.NaN))],
            _ when query.StartsWith("histogram_quantile(0.99,", StringComparison.Ordinal) => [Series((-2, 0.02))],
            _ => [],
        };
        await using TestDashboard server = await StartAsync(prometheus);

        JsonElement trends = await server.GetJsonAsync("api/trends");

        long[] times = [.. trends.GetProperty("times").EnumerateArray().Select(static t => t.GetInt64())];
        Assert.Equal(60, times.Length);
        Assert.Equal(Now.ToUnixTimeMilliseconds(), times[^1]);
        Assert.Equal(Now.AddSeconds(-59).ToUnixTimeMilliseconds(), times[0]);
        Assert.Equal(new double?[] { 4.5, null, 6.0 }, Last3(trends, "callsPerSecond"));
        Assert.Equal(new double?[] { 0.5, null, 0.0 }, Last3(trends, "errorsPerSecond"));
        Assert.Equal(new double?[] { 3.0, null, null }, Last3(trends, "inFlight"));
        Assert.Equal(new double?[] { 4.0, null, null }, Last3(trends, "p50Ms"));
        Assert.Equal(new double?[] { 12.0, null, null }, Last3(trends, "p95Ms"));
        Assert.Equal(new double?[] { 20.0, null, null }, Last3(trends, "p99Ms"));
        Assert.All(new[] { "callsPerSecond", "errorsPerSecond", "p95Ms" }, name => Assert.Equal(JsonValueKind.Null, trends.GetProperty(name)[0].ValueKind));
    }

    [Fact]
    public async Task The_instance_filter_reads_the_trends_of_that_instance_alone()
    {
        await using FakePrometheus prometheus = await FakePrometheus.StartAsync(s_fleet);
        prometheus.Range = static (query, _, _, _) =>
            query.StartsWith("sum(rate(operation_calls_total{instance=\"b:9\"}[60s]))", StringComparison.Ordinal) ? [Series((0, 2))]
            : query.StartsWith("sum(rate(operation_calls_total", StringComparison.Ordinal) ? [Series((0, 9))]
            : [];
        await using TestDashboard server = await StartAsync(prometheus);

        JsonElement fleet = await server.GetJsonAsync("api/trends");
        JsonElement one = await server.GetJsonAsync("api/trends?instance=b:9");

        Assert.Equal(9.0, Last3(fleet, "callsPerSecond")[2]);
        Assert.Equal(2.0, Last3(one, "callsPerSecond")[2]);
        Assert.DoesNotContain(prometheus.RangeQueries, static q => q.Contains("instance=\"b:9\"", StringComparison.Ordinal) && q.Contains(UpOnly, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_range_queries_of_one_trend_request_are_sent_together()
    {
        await using FakePrometheus prometheus = await FakePrometheus.StartAsync(s_fleet);
        prometheus.Hold = static q => q.Contains("operation_", StringComparison.Ordinal);
        prometheus.HoldUntilOpen = 6;
        prometheus.HoldBound = TimeSpan.FromSeconds(3);
        await using TestDashboard server = await StartAsync(prometheus);

        await server.GetJsonAsync("api/trends");

        Assert.Equal(6, prometheus.MostOpen);
    }

    [Fact]
    public async Task An_operation_of_the_fleet_has_a_trend_read_by_its_labels()
    {
        await using FakePrometheus prometheus = await FakePrometheus.StartAsync(s_fleet);
        prometheus.Vector = static query => query.StartsWith("sum by (instance, operation, component, kind, status) (operation_calls_total)", StringComparison.Ordinal)
            ? [([("instance", "a:9"), ("operation", "checkout"), ("component", "shop"), ("kind", "operation"), ("status", "ok")], 40)]
            : [];
        const string Labels = "operation=\"checkout\",component=\"shop\",kind=\"operation\"";
        prometheus.Range = static (query, _, _, _) => query switch
        {
            _ when !query.Contains(Labels, StringComparison.Ordinal) => [],
            _ when query.Contains("status=\"error\"", StringComparison.Ordinal) => [],
            _ when query.StartsWith("sum(rate(operation_calls_total", StringComparison.Ordinal) => [Series((-1, 2), (0, 3))],
            _ when query.StartsWith("histogram_quantile(0.95,", StringComparison.Ordinal) => [Series((0, 0.25))],
            _ when query.Contains("operation_duration_seconds_sum", StringComparison.Ordinal) => [Series((-1, 0.1))],
            _ => [],
        };
        await using TestDashboard server = await StartAsync(prometheus);
        int id = Assert.Single(server.Hub.Current.Operations).Id;

        JsonElement trend = await server.GetJsonAsync($"api/trends/{id}");
        using HttpResponseMessage unknown = await server.Http.GetAsync($"api/trends/{id + 1000}");

        Assert.True(trend.GetProperty("tracked").GetBoolean());
        Assert.Equal(new double?[] { null, 2.0, 3.0 }, Last3(trend, "callsPerSecond"));
        Assert.Equal(new double?[] { null, 0.0, 0.0 }, Last3(trend, "errorsPerSecond"));
        Assert.Equal(new double?[] { null, null, 250.0 }, Last3(trend, "p95Ms"));
        Assert.Equal(new double?[] { null, 100.0, null }, Last3(trend, "meanMs"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task The_hourly_errors_and_costs_of_a_fleet_sum_each_clock_hour_of_the_instances_up()
    {
        DateTimeOffset ten = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);
        DateTimeOffset twelve = ten.AddHours(2);
        await using FakePrometheus prometheus = await FakePrometheus.StartAsync(s_fleet);
        prometheus.Range = (query, start, end, step) =>
        {
            if (!query.Contains("increase(", StringComparison.Ordinal) || step != 3600)
            {
                return [];
            }

            // Each point is the increase over the hour that ends at it; c:9 is down and not summed.
            FakeSeries Of(string instance, params (DateTimeOffset Hour, double Value)[] hours) =>
                new([("instance", instance)], [.. hours.Select(static h => (h.Hour.AddHours(1), h.Value))]);
            double scale = query.Contains("errors_total", StringComparison.Ordinal) ? 1 : query.Contains("total_cost_usd", StringComparison.Ordinal) ? 0.5 : 100;
            return [Of("a:9", (ten, 3 * scale), (twelve, 2 * scale)), Of("b:9", (ten, 4 * scale)), Of("c:9", (ten, 100 * scale))];
        };
        await using TestDashboard server = await StartAsync(prometheus);

        JsonElement errors = await server.GetJsonAsync("api/errors");
        JsonElement costs = await server.GetJsonAsync("api/costs");
        JsonElement narrowed = await server.GetJsonAsync("api/errors?instance=a:9&hours=6");

        long[] hours = [ten.ToUnixTimeMilliseconds(), twelve.ToUnixTimeMilliseconds()];
        Assert.Equal(hours, errors.GetProperty("trend").GetProperty("times").EnumerateArray().Select(static t => t.GetInt64()));
        Assert.Equal([7L, 2], errors.GetProperty("trend").GetProperty("counts").EnumerateArray().Select(static c => c.GetInt64()));
        Assert.Equal(hours, costs.GetProperty("hourly").GetProperty("times").EnumerateArray().Select(static t => t.GetInt64()));
        Assert.Equal([3.5m, 1], costs.GetProperty("hourly").GetProperty("usd").EnumerateArray().Select(static u => u.GetDecimal()));
        Assert.Equal([700L, 200], costs.GetProperty("hourly").GetProperty("tokens").EnumerateArray().Select(static t => t.GetInt64()));
        Assert.Equal([3L, 2], narrowed.GetProperty("trend").GetProperty("counts").EnumerateArray().Select(static c => c.GetInt64()));
        Assert.Contains(prometheus.RangeQueries, static q => q.Contains("tokens_total{type=~\"input|output\"}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_live_tick_of_a_fleet_carries_its_rates_and_percentiles_over_the_instances_up()
    {
        await using FakePrometheus prometheus = await FakePrometheus.StartAsync(s_fleet);
        prometheus.Vector = static query => query switch
        {
            _ when query.StartsWith("sum by (instance, operation, component, kind, status) (rate(", StringComparison.Ordinal) =>
            [
                ([("instance", "a:9"), ("operation", "checkout"), ("status", "ok")], 2),
                ([("instance", "a:9"), ("operation", "checkout"), ("status", "error")], 0.5),
                ([("instance", "b:9"), ("operation", "checkout"), ("status", "ok")], 1),
                ([("instance", "c:9"), ("operation", "checkout"), ("status", "ok")], 100),
            ],
            _ when query.StartsWith("sum by (instance, operation, component, kind) (operation_in_flight)", StringComparison.Ordinal) =>
                [([("instance", "a:9"), ("operation", "checkout")], 4), ([("instance", "b:9"), ("operation", "checkout")], 1)],
            _ when query.StartsWith("histogram_quantile(0.95, sum by (le) (", StringComparison.Ordinal) => [([], 0.03)],
            _ when query.StartsWith("histogram_quantile(0.95, sum by (instance, le) (", StringComparison.Ordinal) =>
                [([("instance", "a:9")], 0.05), ([("instance", "b:9")], 0.01)],
            _ => [],
        };
        await using TestDashboard server = await StartAsync(prometheus);

        JsonElement fleet = await FirstTickAsync(server, null);
        JsonElement one = await FirstTickAsync(server, "b:9");

        JsonElement point = fleet.GetProperty("point");
        Assert.Equal(Now.ToUnixTimeMilliseconds(), point.GetProperty("time").GetInt64());
        Assert.Equal(3.5, point.GetProperty("callsPerSecond").GetDouble());
        Assert.Equal(0.5, point.GetProperty("errorsPerSecond").GetDouble());
        Assert.Equal(5, point.GetProperty("inFlight").GetInt64());
        Assert.Equal(30.0, point.GetProperty("p95Ms").GetDouble());
        Assert.True(!point.TryGetProperty("p50Ms", out JsonElement p50) || p50.ValueKind == JsonValueKind.Null, "no p50 without a sample");
        Assert.Equal(1.0, one.GetProperty("point").GetProperty("callsPerSecond").GetDouble());
        Assert.Equal(10.0, one.GetProperty("point").GetProperty("p95Ms").GetDouble());
    }

    /// <summary>The first tick a live client of <paramref name="instance"/> (every instance when null) receives after its hello.</summary>
    private static async Task<JsonElement> FirstTickAsync(TestDashboard server, string? instance)
    {
        using System.Net.WebSockets.ClientWebSocket socket = new();
        await socket.ConnectAsync(new Uri(server.Url, instance is null ? "ws" : "ws?instance=" + Uri.EscapeDataString(instance)).ToWebSocketUri(), CancellationToken.None);
        while (true)
        {
            JsonElement message = await socket.ReceiveJsonAsync();
            if (message.GetProperty("type").GetString() == "tick")
            {
                return message;
            }
        }
    }

    /// <summary>A fleet dashboard over <paramref name="prometheus"/>, on a clock that stays at <see cref="Now"/>: its one frame is read then.</summary>
    private static Task<TestDashboard> StartAsync(FakePrometheus prometheus) =>
        TestDashboard.StartAsync(
            o =>
            {
                o.Dashboard.Source = DashboardSource.Prometheus;
                o.Dashboard.PrometheusUrl = prometheus.Url.AbsoluteUri;
                o.Dashboard.TrendMinutes = 1;
            },
            time: new FakeTimeProvider(Now));

    /// <summary>One series without labels, by seconds from <see cref="Now"/>.</summary>
    private static FakeSeries Series(params (int Seconds, double Value)[] points) =>
        new([], [.. points.Select(static p => (Now.AddSeconds(p.Seconds), p.Value))]);

    /// <summary>The last three points of a column, null where the trend has a gap.</summary>
    private static double?[] Last3(JsonElement series, string column) =>
        [.. series.GetProperty(column).EnumerateArray().TakeLast(3).Select(static v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble())];
}
