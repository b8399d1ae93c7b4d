using System.Diagnostics;

namespace Maran.Instrument.Hosting.Tests.Otlp;

/// <summary>
/// The test app (tests/Maran.Instrument.Hosting.TestApp) with <c>AddMaranMonitoring().AddOtlpExporter()</c>, pointed
/// by OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf at a real OTLP/HTTP receiver on
/// 127.0.0.1, makes model calls; the receiver decodes what the SDK's exporter sends.
/// </summary>
public sealed class OtlpExportTests : IDisposable
{
    private const string Model = "gpt-4o-mini";
    private const string TokenUsage = "gen_ai.client.token.usage";
    private const string OperationDuration = "gen_ai.client.operation.duration";

    // opentelemetry-proto field numbers: Resource.attributes, Span.name and attributes, Metric.name and histogram,
    // Histogram.data_points, HistogramDataPoint.attributes.
    private const int ResourceAttributes = 1;
    private const int SpanName = 5;
    private const int MetricName = 1;
    private const int MetricHistogram = 9;
    private const int DataPoints = 1;
    private const int HistogramPointAttributes = 9;

    private readonly string _folder = Directory.CreateTempSubdirectory("maran-otlp-").FullName;
    private readonly System.Text.StringBuilder _errors = new();

    [Fact]
    public async Task Traces_metrics_and_logs_arrive_over_otlp_http_with_the_identity_the_genai_metrics_and_the_chat_span()
    {
        using var receiver = new OtlpReceiver();
        using Process app = Start(receiver.Endpoint);
        try
        {
            using var ready = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            using var http = new HttpClient { BaseAddress = new Uri(await ReadLineAsync(app, "listening ", ready.Token)), Timeout = TimeSpan.FromSeconds(60) };
            using HttpResponseMessage answer = await http.PostAsync(new Uri("generate/3", UriKind.Relative), content: null);
            answer.EnsureSuccessStatusCode();

            bool arrived = await receiver.WaitUntilAsync(
                r => r.Any(i => i.Signal == "traces" && i.Item.String(SpanName) == $"chat {Model}")
                    && ModelPoints(r, TokenUsage).Any() && ModelPoints(r, OperationDuration).Any()
                    && r.Any(i => i.Signal == "logs"),
                TimeSpan.FromMinutes(2));

            IReadOnlyList<(string Signal, ProtoFields Resource, ProtoFields Item)> received = receiver.Received;
            Assert.True(arrived, $"received {string.Join(", ", received.GroupBy(i => i.Signal).Select(g => $"{g.Count()} {g.Key}"))}; "
                + $"metrics {string.Join(", ", received.Where(i => i.Signal == "metrics").Select(i => i.Item.String(MetricName)).Distinct())}\n{Errors()}");
            foreach (string signal in new[] { "traces", "metrics", "logs" })
            {
                Assert.All(received.Where(i => i.Signal == signal), item =>
                {
                    Dictionary<string, string> resource = OtlpReceiver.Attributes(item.Resource, ResourceAttributes);
                    Assert.Equal("otlp-test-agent", resource.GetValueOrDefault("service.name"));
                    Assert.Equal("replica-7", resource.GetValueOrDefault("service.instance.id"));
                });
            }

            Assert.All(ModelPoints(received, TokenUsage).Concat(ModelPoints(received, OperationDuration)),
                point => Assert.Equal(Model, point["gen_ai.request.model"]));
        }
        finally
        {
            if (!app.HasExited)
            {
                app.Kill();
                await app.WaitForExitAsync();
            }
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // The data points of the histogram named metric that carry the model attribute.
    private static IEnumerable<Dictionary<string, string>> ModelPoints(IReadOnlyList<(string Signal, ProtoFields Resource, ProtoFields Item)> received, string metric) =>
        received.Where(i => i.Signal == "metrics" && i.Item.String(MetricName) == metric)
            .SelectMany(i => i.Item.Messages(MetricHistogram))
            .SelectMany(h => h.Messages(DataPoints))
            .Select(p => OtlpReceiver.Attributes(p, HistogramPointAttributes))
            .Where(a => a.ContainsKey("gen_ai.request.model"));

    private Process Start(Uri collector)
    {
        string data = Path.Combine(_folder, "data").Replace("\\", "\\\\", StringComparison.Ordinal);
        string logs = Path.Combine(_folder, "logs").Replace("\\", "\\\\", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), $$"""
            {
              "Logging": { "LogLevel": { "Default": "Information" } },
              "Urls": "http://127.0.0.1:0",
              "Maran": {
                "monitoring": { "metrics_port": 0, "data_dir": "{{data}}", "logs_dir": "{{logs}}", "health": { "gpu": false } },
                "alerts": { "enabled": false }
              }
            }
            """);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Maran.Instrument.Hosting.TestApp.dll"));
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.ToString();
        start.Environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        start.Environment["OTEL_SERVICE_NAME"] = "otlp-test-agent";
        start.Environment["OTEL_RESOURCE_ATTRIBUTES"] = "service.instance.id=replica-7,deployment.environment.name=test";
        // Export often, so the test waits for what it asserts rather than for the SDK's default intervals.
        start.Environment["OTEL_METRIC_EXPORT_INTERVAL"] = "500";
        start.Environment["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        start.Environment["OTEL_BLRP_SCHEDULE_DELAY"] = "200";
        Process process = Process.Start(start)!;
        process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        return process;
    }

    private string Errors()
    {
        lock (_errors)
        {
            return _errors.ToString();
        }
    }

    private async Task<string> ReadLineAsync(Process process, string prefix, CancellationToken cancellationToken)
    {
        while (true)
        {
            string? line = await process.StandardOutput.ReadLineAsync(cancellationToken);
            Assert.True(line is not null, $"the app ended before printing '{prefix}':\n{Errors()}");
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line[prefix.Length..];
            }
        }
    }
}
