using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Reports;

namespace Maran.Instrument.Benchmarks;

/// <summary>The configuration every run uses: allocations measured, results exported as full JSON for the report.</summary>
public static class SuiteConfig
{
    /// <summary>The default configuration plus the memory diagnoser and the full JSON exporter.</summary>
    public static IConfig Create() => DefaultConfig.Instance
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddExporter(JsonExporter.Full)
        .AddColumn(StatisticColumn.Median)
        .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend));
}
