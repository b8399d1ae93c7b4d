using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Maran.Instrument.Benchmarks.Suites;

namespace Maran.Instrument.Benchmarks.Tests;

/// <summary>The model-call benchmark runs once, in this process, through BenchmarkDotNet, with and without a listener.</summary>
public sealed class ModelCallBenchmarkTests : IDisposable
{
    private readonly string _artifacts = Path.Combine(Path.GetTempPath(), "maran-benchmarks-model-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_model_call_benchmark_runs_every_case_once_and_only_the_Maran_case_is_intercepted()
    {
        var log = new AccumulationLogger();
        IConfig config = ManualConfig.CreateEmpty()
            .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance))
            .AddLogger(log)
            .WithArtifactsPath(_artifacts)
            .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.DisableLogFile);
        long before = Calls();

        Summary summary = BenchmarkRunner.Run(BenchmarkConverter.TypeToBenchmarks(typeof(ModelCallBenchmarks), config));

        Assert.False(summary.HasCriticalValidationErrors, string.Join("; ", summary.ValidationErrors.Select(e => e.Message)) + log.GetLog());
        Assert.Equal(6, summary.Reports.Length);
        Assert.All(summary.Reports, report => Assert.True(report.Success, $"{report.BenchmarkCase.DisplayInfo} failed:{Environment.NewLine}{log.GetLog()}"));
        Assert.True(Calls() > before, "the Maran case records its model calls");

        // The bare and UseOpenTelemetry cases are left alone: called directly, they record nothing.
        var suite = new ModelCallBenchmarks();
        suite.Setup();
        try
        {
            long direct = Calls();
            await suite.Bare();
            await suite.UseOpenTelemetry();
            Assert.Equal(direct, Calls());
            await suite.Maran();
            Assert.Equal(direct + 1, Calls());
        }
        finally
        {
            suite.Cleanup();
        }
    }

    private static long Calls() =>
        AdvancedMonitoringSystem.Default.Profiler.GetOperationSummary("IChatClient.GetResponseAsync", "openai") is { } summary ? summary.Count + summary.InFlight : 0;

    public void Dispose()
    {
        if (Directory.Exists(_artifacts))
        {
            Directory.Delete(_artifacts, recursive: true);
        }
    }
}
