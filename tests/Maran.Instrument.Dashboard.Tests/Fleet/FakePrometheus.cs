using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Maran.Instrument.Dashboard.Tests;

/// <summary>
/// A server on loopback answering Prometheus's HTTP API as a fleet of instances would: <c>up</c> and
/// <c>target_info</c> list <see cref="Instances"/>, every other instant query is an empty vector, and a range query is
/// answered by <see cref="Range"/>. It records the range queries it was asked and how many were open at once.
/// </summary>
internal sealed class FakePrometheus : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _enoughOpen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _open;
    private int _mostOpen;

    private FakePrometheus(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Each instance's <c>instance</c> label and whether its last scrape succeeded.</summary>
    public IReadOnlyList<(string Instance, bool Up)> Instances { get; init; } = [];

    /// <summary>The samples answering an instant query other than <c>up</c> and <c>target_info</c>; none unless set.</summary>
    public Func<string, IEnumerable<((string Name, string Value)[] Labels, double Value)>> Vector { get; set; } = static _ => [];

    /// <summary>The series answering a range query (its PromQL, start, end, step in seconds); none unless set.</summary>
    public Func<string, double, double, double, IEnumerable<FakeSeries>> Range { get; set; } = static (_, _, _, _) => [];

    /// <summary>
    /// Range queries this predicate holds until <see cref="HoldUntilOpen"/> of them are open together (or
    /// <see cref="HoldBound"/> passes), so that queries sent one after another are seen one at a time.
    /// </summary>
    public Func<string, bool> Hold { get; set; } = static _ => false;

    public int HoldUntilOpen { get; set; }

    public TimeSpan HoldBound { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The PromQL of every range query asked, in the order they came.</summary>
    public ConcurrentQueue<string> RangeQueries { get; } = new();

    /// <summary>Held range queries open at once at most.</summary>
    public int MostOpen => Volatile.Read(ref _mostOpen);

    public static async Task<FakePrometheus> StartAsync(IReadOnlyList<(string Instance, bool Up)> instances)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var fake = new FakePrometheus(app) { Instances = instances };
        app.MapGet("/api/v1/query", fake.InstantAsync);
        app.MapGet("/api/v1/query_range", fake.RangeAsync);
        await app.StartAsync();
        fake.Url = new Uri(app.Urls.First() + "/");
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task InstantAsync(HttpContext context)
    {
        string query = context.Request.Query["query"].ToString();
        string time = context.Request.Query["time"].ToString();
        IEnumerable<string> results = query switch
        {
            "up" => Instances.Select(i => Sample(time, i.Up ? "1" : "0", ("__name__", "up"), ("instance", i.Instance), ("job", "maran"))),
            _ when query.StartsWith("last_over_time(target_info", StringComparison.Ordinal) =>
                Instances.Select(i => Sample(time, "1", ("instance", i.Instance), ("job", "maran"), ("service_instance_id", "id-" + i.Instance))),
            _ => Vector(query).Select(v => Sample(time, v.Value.ToString("R", CultureInfo.InvariantCulture), v.Labels)),
        };
        return Answer(context, "vector", results);
    }

    private async Task RangeAsync(HttpContext context)
    {
        string query = context.Request.Query["query"].ToString();
        RangeQueries.Enqueue(query);
        if (Hold(query))
        {
            int open = Interlocked.Increment(ref _open);
            InterlockedMax(ref _mostOpen, open);
            if (open >= HoldUntilOpen)
            {
                _enoughOpen.TrySetResult();
            }

            await Task.WhenAny(_enoughOpen.Task, Task.Delay(HoldBound));
            Interlocked.Decrement(ref _open);
        }

        double Number(string name) => double.Parse(context.Request.Query[name].ToString(), CultureInfo.InvariantCulture);
        IEnumerable<string> results = Range(query, Number("start"), Number("end"), Number("step"))
            .Select(static s => $"{{\"metric\":{Labels(s.Labels)},\"values\":[{string.Join(",", s.Points.Select(static p => $"[{Seconds(p.Time)},\"{p.Value.ToString("R", CultureInfo.InvariantCulture)}\"]"))}]}}");
        await Answer(context, "matrix", results);
    }

    private static Task Answer(HttpContext context, string type, IEnumerable<string> results)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync($"{{\"status\":\"success\",\"data\":{{\"resultType\":\"{type}\",\"result\":[{string.Join(",", results)}]}}}}", Encoding.UTF8);
    }

    private static string Sample(string time, string value, params (string Name, string Value)[] labels) =>
        $"{{\"metric\":{Labels(labels)},\"value\":[{time},\"{value}\"]}}";

    private static string Labels(IEnumerable<(string Name, string Value)> labels) =>
        "{" + string.Join(",", labels.Select(static l => $"\"{l.Name}\":\"{l.Value}\"")) + "}";

    private static string Seconds(DateTimeOffset time) => (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    private static void InterlockedMax(ref int location, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref location)) && Interlocked.CompareExchange(ref location, value, seen) != seen)
        {
        }
    }
}

/// <summary>One series of a range answer: its labels and its points.</summary>
internal sealed record FakeSeries((string Name, string Value)[] Labels, (DateTimeOffset Time, double Value)[] Points);
