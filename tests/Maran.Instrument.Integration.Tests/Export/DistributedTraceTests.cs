using System.Diagnostics;
using Maran.Instrument.Profiling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Maran.Instrument.Integration.Tests.Export;

public class DistributedTraceTests
{
    // A Kestrel host on 127.0.0.1 with one route, as a separate service would run.
    private static async Task<WebApplication> StartHostAsync(string route, RequestDelegate handler)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        app.MapGet(route, handler);
        await app.StartAsync();
        return app;
    }

    private static Uri BaseAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    [Fact]
    public async Task A_monitored_call_that_calls_another_service_is_the_parent_of_that_services_monitored_handler()
    {
        string run = Guid.NewGuid().ToString("N")[..8];
        PerformanceProfiler profiler = AdvancedMonitoringSystem.Default.Profiler;
        var spans = new List<Activity>();
        string? receivedTraceparent = null;
        using TracerProvider tracing = Sdk.CreateTracerProviderBuilder()
            .AddMaranInstrumentation()
            .AddSource("Microsoft.AspNetCore", "System.Net.Http")
            .AddInMemoryExporter(spans)
            .Build()!;

        await using WebApplication answering = await StartHostAsync("/answer", async context =>
        {
            receivedTraceparent = context.Request.Headers["traceparent"];
            using (profiler.Operation("answer_" + run, "server"))
            {
                await context.Response.WriteAsync("42");
            }
        });
        using var http = new HttpClient { BaseAddress = BaseAddress(answering) };
        await using WebApplication asking = await StartHostAsync("/ask", async context =>
        {
            using (profiler.Operation("ask_" + run, "client"))
            {
                await context.Response.WriteAsync(await http.GetStringAsync("/answer"));
            }
        });
        using var caller = new HttpClient { BaseAddress = BaseAddress(asking) };

        Assert.Equal("42", await caller.GetStringAsync("/ask"));
        await asking.StopAsync();
        await answering.StopAsync();
        tracing.ForceFlush();

        Activity ask = Assert.Single(spans, s => s.DisplayName == "ask_" + run);
        Activity answer = Assert.Single(spans, s => s.DisplayName == "answer_" + run);
        Assert.Equal(ask.TraceId, answer.TraceId);
        Assert.NotNull(receivedTraceparent);
        Assert.Contains(ask.TraceId.ToHexString(), receivedTraceparent);
        Assert.Contains(AncestorsOf(answer, spans), s => s.SpanId == ask.SpanId);
    }

    private static IEnumerable<Activity> AncestorsOf(Activity span, List<Activity> spans)
    {
        Activity? current = span;
        for (int depth = 0; current is not null && depth < 16; depth++)
        {
            ActivitySpanId parent = current.ParentSpanId;
            current = spans.FirstOrDefault(s => s.SpanId == parent);
            if (current is not null)
            {
                yield return current;
            }
        }
    }
}
