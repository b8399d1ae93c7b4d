using System.Diagnostics;
using Maran.Instrument.Configuration;
using Maran.Instrument.Logging;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Maran.Instrument.Tests.Logging;

[Collection(RuntimeSwitches.Name)]
public class LogStoreTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Logged_events_are_found_by_words_level_component_operation_trace_and_time()
    {
        using var test = new LoggingTestSystem(o => o.Monitoring.CallTree = true);
        AdvancedMonitoringSystem monitoring = test.Monitoring;
        monitoring.Start();
        DateTimeOffset start = DateTimeOffset.UtcNow.AddSeconds(-1);
        using (var request = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            using (monitoring.Profiler.Operation("retrieve", "rag"))
            {
                monitoring.Logger.Information("found {Count} passages about photosynthesis", 3);
            }

            using (monitoring.Profiler.Operation("generate", "model"))
            {
                monitoring.Logger.Error("the model refused the prompt");
            }

            monitoring.Logger.Warning("slow tool call");
            string trace = request.TraceId.ToHexString();
            await monitoring.Database.FlushAsync().WaitAsync(Patience);

            Assert.Equal(["found 3 passages about photosynthesis"], Messages(monitoring.Logs.Search(new LogQuery { Text = "photosynthesis" })));
            Assert.Equal(["found 3 passages about photosynthesis"], Messages(monitoring.Logs.Search(new LogQuery { Text = "photo*" })));
            Assert.Equal(["the model refused the prompt", "slow tool call"], Messages(monitoring.Logs.Search(new LogQuery { MinimumLevel = MonitoringLogLevel.Warning })).Reverse());
            Assert.Equal(["found 3 passages about photosynthesis"], Messages(monitoring.Logs.Search(new LogQuery { Component = "rag" })));
            Assert.Equal(["the model refused the prompt"], Messages(monitoring.Logs.Search(new LogQuery { Operation = "generate" })));
            Assert.Equal(3, monitoring.Logs.Search(new LogQuery { TraceId = trace }).Count);
            Assert.Equal(3, monitoring.Logs.Search(new LogQuery { From = start, To = DateTimeOffset.UtcNow.AddSeconds(1) }).Count);
            Assert.Empty(monitoring.Logs.Search(new LogQuery { To = start }));
            Assert.Empty(monitoring.Logs.Search(new LogQuery { Text = "\"unbalanced OR (" }));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_search_pages_newest_first_by_offset_in_the_database_and_in_memory(bool storage)
    {
        using var test = new LoggingTestSystem(o => o.Storage.Enabled = storage);
        test.Monitoring.Start();
        for (int i = 1; i <= 5; i++)
        {
            test.Monitoring.Logger.Information("paged event {Number}", i);
        }

        await test.Monitoring.Database.FlushAsync().WaitAsync(Patience);

        Assert.Equal(["paged event 3", "paged event 2"], Messages(test.Monitoring.Logs.Search(new LogQuery { Text = "paged", Offset = 2, Limit = 2 })));
        Assert.Empty(test.Monitoring.Logs.Search(new LogQuery { Text = "paged", Offset = 5 }));
    }

    [Fact]
    public void The_recent_events_are_kept_in_memory_newest_first_up_to_the_configured_number()
    {
        using var test = new LoggingTestSystem(o => o.Logging.RecentEvents = 3);
        test.Monitoring.Start();

        for (int i = 1; i <= 5; i++)
        {
            test.Monitoring.Logger.Information("event {Number}", i);
        }

        Assert.Equal(["event 5", "event 4", "event 3"], Messages(test.Monitoring.Logs.Recent()));
    }

    [Fact]
    public void With_storage_off_the_search_answers_from_the_recent_events()
    {
        using var test = new LoggingTestSystem(o => o.Storage.Enabled = false);
        test.Monitoring.Start();

        test.Monitoring.Logger.Information("embedding cache warmed");
        test.Monitoring.Logger.Information("index rebuilt");

        Assert.Equal(["index rebuilt"], Messages(test.Monitoring.Logs.Search(new LogQuery { Text = "INDEX" })));
    }

    [Fact]
    public async Task Rows_older_than_the_retention_leave_the_table_and_the_full_text_index()
    {
        string folder = Path.Combine(Path.GetTempPath(), "maran-logstore-" + Guid.NewGuid().ToString("N"));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var options = new MonitoringOptions();
        options.Monitoring.DataDirectory = folder;
        options.Storage.RetentionDays = 7;
        var database = new MaranDatabase(options, time);
        var store = new LogStore(new LogTable(database), () => options.Logging);
        try
        {
            database.Start();
            DateTimeOffset now = time.GetUtcNow();
            store.Add(Entry(now.AddDays(-8), "ancient tokenizer warning"));
            store.Add(Entry(now.AddDays(-6), "recent tokenizer warning"));
            await database.FlushAsync().WaitAsync(Patience);

            time.Advance(TimeSpan.FromHours(2));
            store.Add(Entry(now, "trigger"));
            await database.FlushAsync().WaitAsync(Patience);

            Assert.Equal(["recent tokenizer warning"], Messages(store.Search(new LogQuery { Text = "tokenizer" })));
            Assert.Empty(store.Search(new LogQuery { Text = "ancient" }));
        }
        finally
        {
            database.Stop();
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static LogEntry Entry(DateTimeOffset at, string message) =>
        new(at, MonitoringLogLevel.Warning, message, null, null, null, null, null, null, "{}");

    private static IEnumerable<string> Messages(IEnumerable<LogEntry> entries) => entries.Select(e => e.Message);
}
