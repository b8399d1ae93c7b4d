using System.Diagnostics;
using System.Diagnostics.Metrics;
using Maran.Instrument.Profiling;
using Maran.Instrument.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Maran.Instrument.Tests.Export;

[Collection(RuntimeSwitches.Name)]
public class OpenTelemetryTests
{
    private static readonly double[] SpecDurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    private static OperationRecorder ModelOperation(out string model)
    {
        model = "gpt-" + Guid.NewGuid().ToString("N")[..8];
        return OperationRegistry.GetOrAdd("ask_" + model, "agent", method: null, model: model, provider: "openai", genAIOperation: "chat");
    }

    // A call the way the generated interceptor makes it: start, run, complete or fail, detach.
    private static void Call(OperationRecorder recorder, Action body)
    {
        OperationScope scope = OperationScope.Start(recorder);
        try
        {
            body();
            scope.Complete();
        }
        catch (Exception ex) when (scope.Fail(ex))
        {
            throw;
        }
        finally
        {
            scope.Detach();
        }
    }

    [Fact]
    public void A_model_call_is_a_client_span_named_and_attributed_by_the_GenAI_conventions()
    {
        using IDisposable switches = RuntimeSwitches.Set();
        var spans = new List<Activity>();
        using (TracerProvider provider = Sdk.CreateTracerProviderBuilder().AddMaranInstrumentation().AddInMemoryExporter(spans).Build()!)
        {
            OperationRecorder recorder = ModelOperation(out _);
            Call(recorder, () => UsageTelemetry.Record(recorder, new TokenUsage(120, 40, model: "gpt-4o-2024-08-06"), Activity.Current));
        }

        Activity span = Assert.Single(spans);
        string model = (string)span.GetTagItem("gen_ai.request.model")!;
        Assert.Equal($"chat {model}", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("openai", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("gpt-4o-2024-08-06", span.GetTagItem("gen_ai.response.model"));
        Assert.Equal(120L, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(40L, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(ActivityStatusCode.Ok, span.Status);
    }

    [Fact]
    public void A_failed_call_has_error_status_its_error_type_and_an_exception_event()
    {
        using IDisposable switches = RuntimeSwitches.Set();
        var spans = new List<Activity>();
        using (TracerProvider provider = Sdk.CreateTracerProviderBuilder().AddMaranInstrumentation().AddInMemoryExporter(spans).Build()!)
        {
            OperationRecorder recorder = OperationRegistry.GetOrAdd("fetch_" + Guid.NewGuid().ToString("N")[..8], "tools");
            Assert.Throws<TimeoutException>(() => Call(recorder, () => throw new TimeoutException("upstream slow")));
        }

        Activity span = Assert.Single(spans);
        Assert.Equal(ActivityKind.Internal, span.Kind);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("System.TimeoutException", span.GetTagItem("error.type"));
        ActivityEvent exception = Assert.Single(span.Events);
        Assert.Equal("exception", exception.Name);
        Assert.Contains(exception.Tags, t => t.Key == "exception.message" && (string?)t.Value == "upstream slow");
    }

    [Fact]
    public void GenAI_duration_and_token_histograms_carry_the_spec_buckets_and_attributes()
    {
        using IDisposable switches = RuntimeSwitches.Set();
        var exported = new List<Metric>();
        using MeterProvider provider = Sdk.CreateMeterProviderBuilder().AddMaranInstrumentation().AddInMemoryExporter(exported).Build()!;
        OperationRecorder recorder = ModelOperation(out string model);
        Call(recorder, () => UsageTelemetry.Record(recorder, new TokenUsage(300, 25)));
        Call(recorder, () => { });
        Assert.Throws<InvalidOperationException>(() => Call(recorder, () => throw new InvalidOperationException("refused")));

        provider.ForceFlush();

        List<Metric> metrics = [.. exported];

        List<MetricPoint> durations = PointsFor(metrics, "gen_ai.client.operation.duration", model);
        Assert.Equal("s", metrics.First(m => m.Name == "gen_ai.client.operation.duration").Unit);
        Assert.Equal(3, durations.Sum(p => p.GetHistogramCount()));
        Assert.Equal(SpecDurationBuckets, Boundaries(durations[0]));
        MetricPoint failed = Assert.Single(durations, p => Tag(p, "error.type") is not null);
        Assert.Equal("System.InvalidOperationException", Tag(failed, "error.type"));
        Assert.Equal("chat", Tag(failed, "gen_ai.operation.name"));
        Assert.Equal("openai", Tag(failed, "gen_ai.provider.name"));

        List<MetricPoint> tokens = PointsFor(metrics, "gen_ai.client.token.usage", model);
        Assert.Equal("{token}", metrics.First(m => m.Name == "gen_ai.client.token.usage").Unit);
        Assert.Equal(300, Assert.Single(tokens, p => Tag(p, "gen_ai.token.type") == "input").GetHistogramSum());
        Assert.Equal(25, Assert.Single(tokens, p => Tag(p, "gen_ai.token.type") == "output").GetHistogramSum());
    }

    [Fact]
    public void With_only_metrics_listening_a_calls_duration_carries_the_model_its_response_named()
    {
        using IDisposable switches = RuntimeSwitches.Set();
        var exported = new List<Metric>();
        using MeterProvider provider = Sdk.CreateMeterProviderBuilder().AddMaranInstrumentation().AddInMemoryExporter(exported).Build()!;
        var listener = new IgnoringUsageListener();
        OperationEvents.SubscribeUsage(listener);
        try
        {
            OperationRecorder recorder = ModelOperation(out string model);
            OperationScope scope = OperationScope.Start(recorder);
            try
            {
                scope.Complete("It is sunny", static (_, _) => new TokenUsage(10, 5, model: "gpt-4o-2024-08-06"));
            }
            finally
            {
                scope.Detach();
            }

            provider.ForceFlush();

            MetricPoint duration = Assert.Single(PointsFor([.. exported], "gen_ai.client.operation.duration", model));
            Assert.Equal("gpt-4o-2024-08-06", Tag(duration, "gen_ai.response.model"));
        }
        finally
        {
            OperationEvents.UnsubscribeUsage(listener);
        }
    }

    private sealed class IgnoringUsageListener : IUsageListener
    {
        public bool WantsText => false;

        public void OnUsage(OperationRecorder recorder, in TokenUsage usage)
        {
        }
    }

    private static readonly AsyncLocal<string?> s_tenant = new();

    [Fact]
    public void A_span_starts_with_its_operation_and_GenAI_attributes_so_a_sampler_sees_them()
    {
        using IDisposable switches = RuntimeSwitches.Set();
        var sampled = new List<KeyValuePair<string, object?>>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == MaranTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
            {
                lock (sampled)
                {
                    sampled.AddRange(options.Tags ?? []);
                }

                return ActivitySamplingResult.AllDataAndRecorded;
            },
        };
        ActivitySource.AddActivityListener(listener);
        OperationRecorder recorder = ModelOperation(out string model);

        Call(recorder, static () => { });

        Assert.Contains(new KeyValuePair<string, object?>("maran.operation", recorder.Name), sampled);
        Assert.Contains(new KeyValuePair<string, object?>("maran.component", "agent"), sampled);
        Assert.Contains(new KeyValuePair<string, object?>("gen_ai.operation.name", "chat"), sampled);
        Assert.Contains(new KeyValuePair<string, object?>("gen_ai.provider.name", "openai"), sampled);
        Assert.Contains(new KeyValuePair<string, object?>("gen_ai.request.model", model), sampled);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void After_a_traced_call_the_caller_has_its_span_and_frame_back_and_keeps_what_the_callee_set(bool calleeSetsAsyncLocal)
    {
        using IDisposable switches = RuntimeSwitches.Set(callTree: true);
        using var source = new ActivitySource("Maran.Instrument.Tests.Caller");
        var spans = new List<Activity>();
        using TracerProvider provider = Sdk.CreateTracerProviderBuilder().AddMaranInstrumentation().AddSource(source.Name).AddInMemoryExporter(spans).Build()!;
        OperationRecorder outer = OperationRegistry.GetOrAdd("outer_" + Guid.NewGuid().ToString("N")[..8], "tools");
        OperationRecorder inner = ModelOperation(out _);
        s_tenant.Value = null;
        using Activity request = source.StartActivity("request")!;
        Activity? insideInner = null;
        OperationFrame? frameInOuter = null;
        OperationFrame? frameAfterInner = null;
        Activity? spanAfterInner = null;

        Call(outer, () =>
        {
            frameInOuter = OperationFrame.Current;
            Call(inner, () =>
            {
                insideInner = Activity.Current;
                if (calleeSetsAsyncLocal)
                {
                    s_tenant.Value = "acme";
                }
            });
            frameAfterInner = OperationFrame.Current;
            spanAfterInner = Activity.Current;
        });

        Assert.NotNull(frameInOuter);
        Assert.Same(frameInOuter, frameAfterInner);
        Assert.Same(frameInOuter!.Activity, spanAfterInner);
        Assert.NotSame(spanAfterInner, insideInner);
        Assert.Same(spanAfterInner, insideInner!.Parent);
        Assert.Same(request, Activity.Current);
        Assert.Null(OperationFrame.Current);
        Assert.Equal(calleeSetsAsyncLocal ? "acme" : null, s_tenant.Value);
    }

    [Fact]
    public void With_no_listener_a_model_call_makes_no_frame_and_no_span()
    {
        using IDisposable switches = RuntimeSwitches.Set();
        OperationRecorder recorder = ModelOperation(out _);
        Activity? seen = null;

        Call(recorder, () => seen = Activity.Current);

        Assert.False(OperationFrame.Wanted);
        Assert.Null(seen);
    }

    [Fact]
    public void The_meter_reports_live_call_counts_to_any_listener_as_dotnet_counters_reads_them()
    {
        using IDisposable switches = RuntimeSwitches.Set();
        OperationRecorder recorder = OperationRegistry.GetOrAdd("live_" + Guid.NewGuid().ToString("N")[..8], "agent");
        Call(recorder, () => { });
        Call(recorder, () => { });
        var calls = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MaranTelemetry.SourceName && instrument.Name == "maran.operation.calls")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? operation = null, status = null;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                operation = tag.Key == "maran.operation" ? (string?)tag.Value : operation;
                status = tag.Key == "maran.status" ? (string?)tag.Value : status;
            }

            if (operation == recorder.Name)
            {
                calls[status!] = value;
            }
        });
        listener.Start();

        listener.RecordObservableInstruments();

        Assert.Equal(2, calls["success"]);
    }

    private static List<MetricPoint> PointsFor(List<Metric> metrics, string name, string model)
    {
        var points = new List<MetricPoint>();
        foreach (Metric metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly MetricPoint point in metric.GetMetricPoints())
            {
                if (Tag(point, "gen_ai.request.model") == model)
                {
                    points.Add(point);
                }
            }
        }

        return points;
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (KeyValuePair<string, object?> tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }

    private static double[] Boundaries(MetricPoint point)
    {
        var bounds = new List<double>();
        foreach (HistogramBucket bucket in point.GetHistogramBuckets())
        {
            if (!double.IsPositiveInfinity(bucket.ExplicitBound))
            {
                bounds.Add(bucket.ExplicitBound);
            }
        }

        return [.. bounds];
    }
}
