using System.Text.Json;
using Maran.Instrument.Alerts;
using Maran.Instrument.Configuration;

namespace Maran.Instrument.Tests.Alerts;

public class FileAndConsoleChannelTests
{
    [Fact]
    public async Task The_file_channel_writes_json_lines_and_rotates_keeping_max_files()
    {
        using var test = new AlertTestEngine(o =>
        {
            o.Alerts.CustomMetrics.Add("queue_depth");
            o.Alerts.Channels.File.Enabled = true;
            o.Alerts.Channels.File.MaxBytes = 1024;
            o.Alerts.Channels.File.MaxFiles = 2;
        });
        test.Engine.AddRule(AlertRule.Create("QueueBacklog").When("queue_depth").Above(100)
            .Annotation("summary", "a summary long enough that a handful of lines fills a kilobyte: {{ $value }}").Build());
        test.Start();

        for (int i = 0; i < 12; i++)
        {
            test.Feed("queue_depth", 150 + i);
            test.Feed("queue_depth", 10);
        }

        await test.FlushAsync();

        string logs = Path.Combine(test.Folder, "logs");
        Assert.Equal(["alerts.1.jsonl", "alerts.2.jsonl", "alerts.jsonl"], Directory.GetFiles(logs).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var lines = new[] { "alerts.2.jsonl", "alerts.1.jsonl", "alerts.jsonl" }
            .SelectMany(f => File.ReadAllLines(Path.Combine(logs, f)))
            .ToList();
        Assert.All(Directory.GetFiles(logs), f => Assert.InRange(new FileInfo(f).Length, 1, 1024));
        List<JsonElement> records = [.. lines.Select(l => JsonDocument.Parse(l).RootElement)];
        Assert.All(records, r => Assert.Equal("QueueBacklog", r.GetProperty("alertname").GetString()));
        JsonElement last = records[^1];
        Assert.Equal(("resolved", 10.0), (last.GetProperty("status").GetString(), last.GetProperty("value").GetDouble()));
        JsonElement lastFiring = records[^2];
        Assert.Equal(("firing", 161.0), (lastFiring.GetProperty("status").GetString(), lastFiring.GetProperty("value").GetDouble()));
        Assert.True(records.Count < 24, "the oldest lines were rotated away");
    }

    [Fact]
    public async Task The_console_channel_colours_lines_by_severity_and_resolved_ones_green()
    {
        var output = new StringWriter();
        using var test = new AlertTestEngine(o =>
        {
            o.Alerts.CustomMetrics.Add("queue_depth");
            o.Alerts.Channels.Console.Enabled = true;
            o.Alerts.Channels.Console.Color = ConsoleColorMode.Always;
        });
        test.Engine.ConsoleOutput = output;
        test.Engine.AddRule(AlertRule.Create("Backlog").When("queue_depth").Above(500).WithSeverity(AlertSeverity.Critical).Build());
        test.Engine.AddRule(AlertRule.Create("Growing").When("queue_depth").Above(100).WithSeverity(AlertSeverity.Info).Label("queue", "ingest").Build());
        test.Start();

        test.Feed("queue_depth", 800);
        await test.FlushAsync();
        test.Feed("queue_depth", 10);
        await test.FlushAsync();

        string[] lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("\u001b[1;31m[maran alert] ", StringComparison.Ordinal) && l.Contains("FIRING critical Backlog value=800 - queue_depth is 800 (> 500)", StringComparison.Ordinal) && l.EndsWith("\u001b[0m", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("\u001b[36m", StringComparison.Ordinal) && l.Contains("FIRING info Growing value=800", StringComparison.Ordinal) && l.Contains("{queue=ingest}", StringComparison.Ordinal));
        Assert.Equal(2, lines.Count(l => l.StartsWith("\u001b[32m", StringComparison.Ordinal) && l.Contains("RESOLVED", StringComparison.Ordinal)));
    }
}
