using System.Globalization;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// The trend charts of a fleet, read from Prometheus with <c>/api/v1/query_range</c> over the trend window: every
/// operation together, or one operation, summed over the instances that are up, or of one instance. The queries of one
/// series are sent together; a step where Prometheus has no sample is null, a gap on the chart.
/// </summary>
/// <remarks>
/// The step is the window divided by <see cref="MaxPoints"/>, in whole seconds and at least one, and the points end
/// at the last step boundary before the frame's moment, so the series never holds more points than the charts keep.
/// Each point's rates cover the step, and at least <see cref="PrometheusSource.WindowSeconds"/>, so that a scrape
/// interval up to 15 s leaves no gap between two samples.
/// </remarks>
internal sealed class PrometheusTrends(PrometheusClient client, string prefix)
{
    /// <summary>Points of a series at most, whatever the window.</summary>
    internal const int MaxPoints = 600;

    /// <summary>Every operation together over <paramref name="window"/>, of <paramref name="instance"/> (every instance that is up when null).</summary>
    public async Task<TrendSeries> GlobalAsync(TrendWindow window, string? instance)
    {
        Filter filter = new(instance, []);
        string rate = window.RateRange;
        Task<IReadOnlyList<PromSeries>> calls = Range(window, SummedRate("operation_calls_total", filter, rate));
        Task<IReadOnlyList<PromSeries>> errors = Range(window, SummedRate("operation_calls_total", filter, rate, ("status", "error")));
        Task<IReadOnlyList<PromSeries>> inFlight = Range(window, $"sum({filter.Up(Name("operation_in_flight") + filter.Selector())})");
        Task<IReadOnlyList<PromSeries>> p50 = Range(window, Quantile(0.5, filter, rate));
        Task<IReadOnlyList<PromSeries>> p95 = Range(window, Quantile(0.95, filter, rate));
        Task<IReadOnlyList<PromSeries>> p99 = Range(window, Quantile(0.99, filter, rate));
        await Task.WhenAll(calls, errors, inFlight, p50, p95, p99).ConfigureAwait(false);

        var series = new TrendSeries(window.Capacity, window.Count);
        window.Times().CopyTo(series.Times, 0);
        Fill(window, await calls.ConfigureAwait(false), series.CallsPerSecond, 1);
        Fill(window, await errors.ConfigureAwait(false), series.ErrorsPerSecond, 1);
        Fill(window, await p50.ConfigureAwait(false), series.P50Ms, 1000);
        Fill(window, await p95.ConfigureAwait(false), series.P95Ms, 1000);
        Fill(window, await p99.ConfigureAwait(false), series.P99Ms, 1000);
        var running = new double?[window.Count];
        Fill(window, await inFlight.ConfigureAwait(false), running, 1);
        for (int i = 0; i < window.Count; i++)
        {
            series.InFlight[i] = running[i] is { } value ? (long)Math.Round(value) : null;
        }

        NoErrorWhereCalls(series.CallsPerSecond, series.ErrorsPerSecond);
        return series;
    }

    /// <summary>One operation, by the labels its series are exported with, over <paramref name="window"/>.</summary>
    public async Task<OperationTrendSeries> OperationAsync(int id, (string Name, string Component, string Kind) operation, TrendWindow window, string? instance)
    {
        Filter filter = new(instance, [("operation", operation.Name), ("component", operation.Component), ("kind", operation.Kind)]);
        string rate = window.RateRange;
        Task<IReadOnlyList<PromSeries>> calls = Range(window, SummedRate("operation_calls_total", filter, rate));
        Task<IReadOnlyList<PromSeries>> errors = Range(window, SummedRate("operation_calls_total", filter, rate, ("status", "error")));
        Task<IReadOnlyList<PromSeries>> p95 = Range(window, Quantile(0.95, filter, rate));
        Task<IReadOnlyList<PromSeries>> mean = Range(window,
            $"{SummedRate("operation_duration_seconds_sum", filter, rate)} / {SummedRate("operation_duration_seconds_count", filter, rate)}");
        await Task.WhenAll(calls, errors, p95, mean).ConfigureAwait(false);

        var series = new OperationTrendSeries(id, window.Capacity, window.Count);
        window.Times().CopyTo(series.Times, 0);
        Fill(window, await calls.ConfigureAwait(false), series.CallsPerSecond, 1);
        Fill(window, await errors.ConfigureAwait(false), series.ErrorsPerSecond, 1);
        Fill(window, await p95.ConfigureAwait(false), series.P95Ms, 1000);
        Fill(window, await mean.ConfigureAwait(false), series.MeanMs, 1000);
        NoErrorWhereCalls(series.CallsPerSecond, series.ErrorsPerSecond);
        return series;
    }

    private string Name(string metric) => prefix + metric;

    // The per-second rate of a counter over the filter's series (and the matchers in more), summed.
    private string SummedRate(string metric, Filter filter, string rate, params (string Label, string Value)[] more) =>
        $"sum({filter.Up($"rate({Name(metric)}{filter.Selector(more)}[{rate}])")})";

    private string Quantile(double q, Filter filter, string rate) =>
        $"histogram_quantile({q.ToString("0.##", CultureInfo.InvariantCulture)}, sum by (le) ({filter.Up($"rate({Name("operation_duration_seconds_bucket")}{filter.Selector()}[{rate}])")}))";

    private Task<IReadOnlyList<PromSeries>> Range(TrendWindow window, string promql) =>
        client.QueryRangeAsync(promql, window.Start, window.End, window.Step);

    /// <summary>Writes each point of <paramref name="found"/> (summed, times <paramref name="scale"/>) at its step; a step without one stays null.</summary>
    private static void Fill(TrendWindow window, IReadOnlyList<PromSeries> found, double?[] into, double scale)
    {
        foreach ((DateTimeOffset time, double value) in found.SelectMany(static s => s.Points))
        {
            if (window.IndexOf(time) is { } i && double.IsFinite(value))
            {
                into[i] = Math.Round((into[i] ?? 0) + (value * scale), 4);
            }
        }
    }

    // No failed call leaves no error series at all: where calls were counted, that is zero errors, not a gap.
    private static void NoErrorWhereCalls(double?[] calls, double?[] errors)
    {
        for (int i = 0; i < calls.Length; i++)
        {
            if (calls[i] is not null)
            {
                errors[i] ??= 0;
            }
        }
    }

    /// <summary>The labels a query is narrowed to, and the instance when one is chosen (else the instances that are up).</summary>
    private readonly record struct Filter(string? Instance, (string Label, string Value)[] Labels)
    {
        public string Selector(params (string Label, string Value)[] more)
        {
            IEnumerable<(string Label, string Value)> all = Labels.Concat(more);
            if (Instance is { } instance)
            {
                all = all.Prepend(("instance", instance));
            }

            string[] matchers = [.. all.Select(static m => $"{m.Label}=\"{PrometheusSource.Escape(m.Value)}\"")];
            return matchers.Length == 0 ? string.Empty : "{" + string.Join(",", matchers) + "}";
        }

        /// <summary>Keeps only the series of instances whose scrape at each step succeeded, when no instance is chosen.</summary>
        public string Up(string vector) => Instance is null ? $"{vector} and on (instance) (up == 1)" : vector;
    }
}

/// <summary>
/// The steps a trend is read at: <see cref="Count"/> points, <see cref="Step"/> apart, the last at <see cref="End"/>.
/// </summary>
internal readonly record struct TrendWindow(DateTimeOffset End, TimeSpan Step, int Count, int Capacity)
{
    /// <summary>The first step.</summary>
    public DateTimeOffset Start => End - (Step * (Count - 1));

    /// <summary>The range each point's rates cover: the step, and at least the live rates' window.</summary>
    public string RateRange => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(PrometheusSource.WindowSeconds, (long)Step.TotalSeconds)}s");

    /// <summary>
    /// The window of <paramref name="range"/> ending at <paramref name="at"/>: a step of the range over
    /// <see cref="PrometheusTrends.MaxPoints"/> in whole seconds (one at least), ending at the last step boundary, and
    /// never more points than <paramref name="capacity"/>.
    /// </summary>
    public static TrendWindow Of(DateTimeOffset at, TimeSpan range, int capacity)
    {
        long stepSeconds = Math.Max(1, (long)Math.Ceiling(range.TotalSeconds / PrometheusTrends.MaxPoints));
        long stepMs = stepSeconds * 1000;
        int count = (int)Math.Clamp((long)range.TotalSeconds / stepSeconds, 1, Math.Max(1, capacity));
        var end = DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds() / stepMs * stepMs);
        return new TrendWindow(end, TimeSpan.FromSeconds(stepSeconds), count, capacity);
    }

    /// <summary>Every step, in Unix milliseconds, oldest first.</summary>
    public long[] Times()
    {
        long start = Start.ToUnixTimeMilliseconds();
        long step = (long)Step.TotalMilliseconds;
        long[] times = new long[Count];
        for (int i = 0; i < Count; i++)
        {
            times[i] = start + (i * step);
        }

        return times;
    }

    /// <summary>The step <paramref name="time"/> falls on; null outside the window.</summary>
    public int? IndexOf(DateTimeOffset time)
    {
        double index = (time - Start) / Step;
        int rounded = (int)Math.Round(index);
        return rounded >= 0 && rounded < Count && Math.Abs(index - rounded) < 1e-6 ? rounded : null;
    }
}
