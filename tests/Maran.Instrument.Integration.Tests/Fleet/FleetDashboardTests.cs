using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Maran.Instrument.Integration.Tests.Export;

namespace Maran.Instrument.Integration.Tests.Fleet;

/// <summary>
/// The fleet dashboard over a real Prometheus scraping three real replicas (<see cref="FleetFixture"/>): what it
/// shows is what Prometheus computes at the same moment, for the fleet and for each instance.
/// </summary>
public sealed class FleetDashboardTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    /// <summary>The saturation a replica is sized for: the HPA's target average value of maran_saturation_ratio.</summary>
    private const double TargetSaturation = 0.5;

    /// <summary>The series of the instances whose last scrape succeeded, as the dashboard sums them.</summary>
    private const string UpOnly = " and on (instance) (up == 1)";

    [PrometheusFact]
    public async Task The_overview_lists_three_instances_up_with_totals_equal_to_prometheus_sums_at_the_same_moment()
    {
        using JsonDocument overview = await fleet.GetAsync("api/overview?time=" + fleet.Moment);
        JsonElement root = overview.RootElement;
        JsonElement[] instances = [.. root.GetProperty("instances").EnumerateArray()];
        Assert.Equal(3, instances.Length);
        Assert.All(instances, static i => Assert.True(i.GetProperty("up").GetBoolean()));
        Assert.Equal(["agent-0", "agent-1", "agent-2"], instances.Select(static i => i.GetProperty("serviceInstanceId").GetString()).Order());

        double calls = await fleet.ScalarAsync("sum(rate(operation_calls_total[1m])" + UpOnly + ")");
        double errors = await fleet.ScalarAsync("sum(rate(operation_calls_total{status=\"error\"}[1m])" + UpOnly + ")");
        AssertClose(calls, root.GetProperty("callsPerSecond").GetDouble());
        AssertClose(errors / calls, root.GetProperty("errorRate").GetDouble());
        Assert.Equal(await fleet.ScalarAsync("sum(operation_calls_total" + UpOnly + ")"), root.GetProperty("totalCalls").GetInt64());
        Assert.Equal(await fleet.ScalarAsync("sum(operation_calls_total{status=\"error\"}" + UpOnly + ")"), root.GetProperty("totalErrors").GetInt64());
        Assert.Equal(await fleet.ScalarAsync("sum(operation_in_flight" + UpOnly + ")"), root.GetProperty("inFlight").GetInt64());
        Assert.Equal(await fleet.ScalarAsync("min(system_health_score" + UpOnly + ")"), root.GetProperty("health").GetProperty("score").GetDouble());

        var perInstance = (await fleet.Prometheus!.QueryAsync("sum by (instance) (rate(operation_calls_total[1m]))", fleet.Moment))
            .ToDictionary(static r => r.Labels["instance"], static r => r.Value);
        var scores = (await fleet.Prometheus!.QueryAsync("system_health_score", fleet.Moment))
            .ToDictionary(static r => r.Labels["instance"], static r => r.Value);
        foreach (JsonElement instance in instances)
        {
            string name = instance.GetProperty("instance").GetString()!;
            AssertClose(perInstance[name], instance.GetProperty("callsPerSecond").GetDouble());
            Assert.Equal(scores[name], instance.GetProperty("healthScore").GetDouble());
        }
    }

    [PrometheusFact]
    public async Task The_instance_filter_narrows_every_section_and_logs_and_traces_say_where_to_look()
    {
        string instance = fleet.Metrics[1].Authority;
        string only = $"{{instance=\"{instance}\"}}";
        string query = $"?time={fleet.Moment}&instance={Uri.EscapeDataString(instance)}";

        using JsonDocument overview = await fleet.GetAsync("api/overview" + query);
        JsonElement listed = Assert.Single(overview.RootElement.GetProperty("instances").EnumerateArray());
        Assert.Equal(instance, listed.GetProperty("instance").GetString());
        double instanceCalls = await fleet.ScalarAsync($"sum(operation_calls_total{only})");
        Assert.Equal(instanceCalls, overview.RootElement.GetProperty("totalCalls").GetInt64());
        Assert.True(instanceCalls < await fleet.ScalarAsync("sum(operation_calls_total)"), "one instance made fewer calls than the fleet");

        using JsonDocument performance = await fleet.GetAsync("api/performance" + query);
        Assert.Equal(instanceCalls, performance.RootElement.GetProperty("rows").EnumerateArray().Sum(static r => r.GetProperty("count").GetInt64()));

        using JsonDocument health = await fleet.GetAsync("api/health" + query);
        Assert.Equal(await fleet.ScalarAsync($"system_health_score{only}"), health.RootElement.GetProperty("now").GetProperty("score").GetDouble());

        using JsonDocument errors = await fleet.GetAsync("api/errors" + query);
        double instanceErrors = await fleet.ScalarAsync($"sum(errors_total{only})");
        Assert.True(instanceErrors > 0, "the replica failed one call in five");
        Assert.Equal(instanceErrors, errors.RootElement.GetProperty("total").GetInt64());

        using JsonDocument costs = await fleet.GetAsync("api/costs" + query);
        double instanceCost = await fleet.ScalarAsync($"sum(total_cost_usd{only})");
        Assert.True(instanceCost > 0, "the replica recorded priced tokens");
        Assert.True(instanceCost < await fleet.ScalarAsync("sum(total_cost_usd)"), "one instance spent less than the fleet");
        AssertClose(instanceCost, costs.RootElement.GetProperty("totalUsd").GetDouble());

        foreach (string section in (string[])["logs", "traces"])
        {
            using JsonDocument elsewhere = await fleet.GetAsync($"api/{section}{query}");
            Assert.False(elsewhere.RootElement.GetProperty("available").GetBoolean());
            Assert.Contains($"the dashboard of {instance} itself", elsewhere.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        using HttpResponseMessage unknown = await fleet.Http.GetAsync(new Uri(fleet.Dashboard!, "api/overview?instance=127.0.0.1:1"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [PrometheusFact]
    public async Task The_trends_are_prometheus_sums_at_each_step_of_the_window_with_gaps_before_the_fleet_was_scraped()
    {
        // The trends end at a whole second: the first one after the moment the rates were seen, once it has passed,
        // so that no sample comes in between the dashboard's reading and Prometheus's.
        var end = DateTimeOffset.FromUnixTimeSeconds((long)Math.Ceiling(double.Parse(fleet.Moment, CultureInfo.InvariantCulture)) + 1);
        while (DateTimeOffset.UtcNow < end.AddSeconds(2))
        {
            await Task.Delay(100);
        }

        string at = FleetFixture.PrometheusMoment(end);
        using JsonDocument trends = await fleet.GetAsync("api/trends?time=" + at);
        JsonElement root = trends.RootElement;
        long[] times = [.. root.GetProperty("times").EnumerateArray().Select(static t => t.GetInt64())];
        JsonElement calls = root.GetProperty("callsPerSecond");

        // Ten minutes of trend at a step of one second: Prometheus started seconds ago, so the window begins with gaps.
        Assert.Equal(600, times.Length);
        Assert.Equal(1000, times[1] - times[0]);
        Assert.Equal(end.ToUnixTimeMilliseconds(), times[^1]);
        Assert.Equal(JsonValueKind.Null, calls[0].ValueKind);

        // The trends keep four decimals.
        Assert.Equal(await fleet.ScalarAsync("sum(rate(operation_calls_total[1m])" + UpOnly + ")", at), calls[times.Length - 1].GetDouble(), 4);

        // No failed call in the last minute leaves Prometheus no error series: the trend has 0 there, calls being counted.
        double errors = (await fleet.Prometheus!.QueryAsync("sum(rate(operation_calls_total{status=\"error\"}[1m])" + UpOnly + ")", at)).Sum(static r => r.Value);
        Assert.Equal(errors, root.GetProperty("errorsPerSecond")[times.Length - 1].GetDouble(), 4);

        string instance = fleet.Metrics[1].Authority;
        using JsonDocument one = await fleet.GetAsync($"api/trends?time={at}&instance={Uri.EscapeDataString(instance)}");
        Assert.Equal(
            await fleet.ScalarAsync($"sum(rate(operation_calls_total{{instance=\"{instance}\"}}[1m]))", at),
            one.RootElement.GetProperty("callsPerSecond")[times.Length - 1].GetDouble(),
            4);
    }

    [PrometheusFact]
    public async Task The_documented_scaling_queries_give_the_replica_count_of_the_hpa_formula_for_the_load_driven()
    {
        // docs/fleet.md: the HPA's Pods metric averages maran_saturation_ratio over the replicas; KEDA's query sums it.
        double average = await fleet.ScalarAsync("avg(maran_saturation_ratio)");
        double sum = await fleet.ScalarAsync("sum(maran_saturation_ratio)");
        int current = (int)await fleet.ScalarAsync("count(maran_saturation_ratio)");

        // The held calls (4, 8 and 9 of 10) are the load; a call of the trickle caught in flight adds 0.1 at most.
        double held = FleetFixture.InFlight.Sum(static n => (double)n / FleetFixture.ConcurrencyLimit);
        Assert.InRange(sum, held - 1e-9, held + (0.1 * FleetFixture.InFlight.Length));
        Assert.Equal(FleetFixture.InFlight.Length, current);
        int desired = (int)Math.Ceiling(current * average / TargetSaturation);
        int keda = (int)Math.Ceiling(sum / TargetSaturation);
        Assert.Equal(5, desired);
        Assert.Equal(desired, keda);
    }

    [PrometheusFact]
    public async Task A_replica_stopped_with_sigterm_is_shown_down_within_two_scrape_intervals()
    {
        Process replica = fleet.Replicas[0];
        string instance = fleet.Metrics[0].Authority;
        DotNet.Exec("/bin/kill", Environment.CurrentDirectory, TimeSpan.FromSeconds(30), "-s", "TERM", replica.Id.ToString(CultureInfo.InvariantCulture))
            .EnsureSuccess("kill -s TERM");
        using (var exited = new CancellationTokenSource(FleetFixture.Ready))
        {
            await replica.WaitForExitAsync(exited.Token);
        }

        // The dashboard reads Prometheus at the moment asked, so each poll sees the latest scrape.
        var since = Stopwatch.StartNew();
        TimeSpan allowed = TimeSpan.FromSeconds(2 * PrometheusServer.ScrapeIntervalSeconds);
        JsonElement[] instances = [];
        bool down = false;
        while (!down && since.Elapsed < allowed)
        {
            using JsonDocument overview = await fleet.GetAsync("api/overview?time=" + FleetFixture.PrometheusMoment(DateTimeOffset.UtcNow));
            instances = [.. overview.RootElement.GetProperty("instances").EnumerateArray().Select(static i => i.Clone())];
            down = !instances.Single(i => i.GetProperty("instance").GetString() == instance).GetProperty("up").GetBoolean();
        }

        Assert.True(down, $"{instance} was still shown up two scrape intervals after it ended");
        Assert.Equal(2, instances.Count(static i => i.GetProperty("up").GetBoolean()));
    }

    /// <summary>Equal but for the order the same floating-point terms were added in.</summary>
    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");
}
