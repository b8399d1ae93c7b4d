using System.Diagnostics;
using System.Text.Json;
using Serilog.Events;
using Serilog.Parsing;

namespace Maran.Instrument.Dashboard.Tests;

public class LogsSectionTests
{
    [Fact]
    public async Task Logs_are_filtered_on_the_server_by_level_component_operation_trace_and_words_in_the_store()
    {
        await using TestDashboard server = await TestDashboard.StartAsync(o => o.Storage.Enabled = true);
        AdvancedMonitoringSystem system = server.System;
        system.Start();
        string trace;
        using (var request = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            trace = request.TraceId.ToHexString();
            using (system.Profiler.Operation("retrieve", "rag"))
            {
                system.Logger.Information("found {Count} passages about photosynthesis", 3);
            }

            using (system.Profiler.Operation("generate", "model"))
            {
                system.Logger.Error("the model refused the prompt");
            }
        }

        system.Logger.Warning("slow tool call");
        await system.Database.FlushAsync();

        server.Hub.Tick();
        Assert.Equal("store", (await server.GetJsonAsync("api/logs")).GetProperty("source").GetString());
        Assert.Equal(["found 3 passages about photosynthesis"], await Messages(server, "api/logs?q=photosynthesis"));
        Assert.Equal(["found 3 passages about photosynthesis"], await Messages(server, "api/logs?q=photo*"));
        Assert.Equal(["slow tool call", "the model refused the prompt"], await Messages(server, "api/logs?level=warning"));
        Assert.Equal(["found 3 passages about photosynthesis"], await Messages(server, "api/logs?component=rag"));
        Assert.Equal(["the model refused the prompt"], await Messages(server, "api/logs?operation=generate"));
        Assert.Equal(["the model refused the prompt", "found 3 passages about photosynthesis"], await Messages(server, "api/logs?trace=" + trace));
        JsonElement row = (await server.GetJsonAsync("api/logs?operation=generate")).GetProperty("rows")[0];
        Assert.Equal("ERROR", row.GetProperty("level").GetString());
        Assert.Equal(trace, row.GetProperty("traceId").GetString());
        Assert.Equal("model", row.GetProperty("component").GetString());
    }

    [Fact]
    public async Task Logs_come_newest_first_in_pages_that_stay_put_from_a_moment()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();
        server.System.Start();
        for (int i = 1; i <= 5; i++)
        {
            server.System.Logger.Information("paged event {Number}", i);
        }

        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        server.Hub.Tick();
        JsonElement first = await server.GetJsonAsync($"api/logs?q=paged&size=2&before={before}");
        // A later event, logged a minute on, must not shift the pages read from before it.
        server.System.Logger.Write(new LogEvent(
            DateTimeOffset.UtcNow.AddMinutes(1), LogEventLevel.Information, null, new MessageTemplateParser().Parse("paged event 6"), []));
        server.Hub.Tick();
        JsonElement second = await server.GetJsonAsync($"api/logs?q=paged&size=2&page=1&before={before}");
        JsonElement last = await server.GetJsonAsync($"api/logs?q=paged&size=2&page=2&before={before}");
        JsonElement live = await server.GetJsonAsync("api/logs?q=paged&size=2");

        Assert.Equal("memory", first.GetProperty("source").GetString());
        Assert.Equal(["paged event 5", "paged event 4"], Texts(first));
        Assert.True(first.GetProperty("more").GetBoolean());
        Assert.Equal(["paged event 3", "paged event 2"], Texts(second));
        Assert.Equal(["paged event 1"], Texts(last));
        Assert.False(last.GetProperty("more").GetBoolean());
        Assert.Equal(["paged event 6", "paged event 5"], Texts(live));
    }

    [Fact]
    public async Task A_long_log_line_is_cut_and_says_so()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();
        server.System.Start();
        server.System.Logger.Information("{Text}", "cut-me " + new string('x', LogsSection.MaxMessage * 2));

        server.Hub.Tick();
        JsonElement row = (await server.GetJsonAsync("api/logs?q=cut-me")).GetProperty("rows")[0];

        Assert.True(row.GetProperty("cut").GetBoolean());
        Assert.Equal(LogsSection.MaxMessage + 1, row.GetProperty("message").GetString()!.Length);
    }

    [Fact]
    public async Task The_filter_suggestions_name_the_components_and_operations_that_logged()
    {
        await using TestDashboard server = await TestDashboard.StartAsync();
        server.System.Start();
        using (server.System.Profiler.Operation("embed", "vectors"))
        {
            server.System.Logger.Information("embedded");
        }

        server.Hub.Tick();
        JsonElement view = await server.GetJsonAsync("api/logs");

        Assert.Contains("vectors", view.GetProperty("components").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains("embed", view.GetProperty("operations").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], view.GetProperty("levels").EnumerateArray().Select(c => c.GetString()));
    }

    private static async Task<string[]> Messages(TestDashboard server, string path) => Texts(await server.GetJsonAsync(path));

    private static string[] Texts(JsonElement view) => [.. view.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("message").GetString()!)];
}
