using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Maran.Instrument.Benchmarks.Suites;
using Maran.Instrument.Profiling;

namespace Maran.Instrument.Benchmarks.Tests;

/// <summary>
/// Every benchmark runs once, in this process, through BenchmarkDotNet itself (a dry job: one invocation, no
/// warm-up), so a suite that no longer sets up, runs or validates fails here instead of in a two-hour run.
/// </summary>
public sealed class DryRunTests : IDisposable
{
    private readonly string _artifacts = Path.Combine(Path.GetTempPath(), "maran-benchmarks-dry-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Every_benchmark_runs_once_in_process_and_Maran_ones_are_counted()
    {
        var log = new AccumulationLogger();
        IConfig config = ManualConfig.CreateEmpty()
            .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance))
            .AddLogger(log)
            .WithArtifactsPath(_artifacts)
            .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.DisableLogFile);
        var before = Suites.All.ToDictionary(t => t, t => Suites.CallsOf((WorkloadBenchmarks)Activator.CreateInstance(t)!));

        Summary[] summaries = BenchmarkRunner.Run([.. Suites.All.Select(t => WithoutAttributeConfig(t, config))]);

        Assert.Equal(Suites.All.Count, summaries.Length);
        foreach (Summary summary in summaries)
        {
            Assert.False(summary.HasCriticalValidationErrors, string.Join("; ", summary.ValidationErrors.Select(e => e.Message)) + log.GetLog());
            Type suite = summary.BenchmarksCases.Select(c => c.Descriptor.Type).Distinct().Single();
            Assert.Equal(Suites.Benchmarks(suite).Count(), summary.Reports.Length);
            foreach (BenchmarkReport report in summary.Reports)
            {
                Assert.True(report.Success, $"{report.BenchmarkCase.DisplayInfo} failed:{Environment.NewLine}{log.GetLog()}");
            }
        }

        foreach (Type suite in Suites.All)
        {
            long calls = Suites.CallsOf((WorkloadBenchmarks)Activator.CreateInstance(suite)!) - before[suite];
            Assert.True(calls > 0, $"the dry run of {suite.Name} recorded no call of its monitored operation");
        }
    }

    [Fact]
    public void The_registry_benchmark_runs_once_in_process_and_folds_names_past_the_bound()
    {
        var log = new AccumulationLogger();
        IConfig config = ManualConfig.CreateEmpty()
            .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance))
            .AddLogger(log)
            .WithArtifactsPath(_artifacts)
            .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.DisableLogFile);
        int bound = OperationRegistry.MaxOperations;
        long foldedBefore = OperationRegistry.FoldedNames;
        int operationsBefore = OperationRegistry.Count;

        // The suite's own job (three cold iterations) is left to real runs: only the dry, in-process cases run here.
        BenchmarkRunInfo all = WithoutAttributeConfig(typeof(RegistryBenchmarks), config);
        BenchmarkCase[] dry = [.. all.BenchmarksCases.Where(c => c.Job.Infrastructure.Toolchain is InProcessEmitToolchain)];
        Summary summary = BenchmarkRunner.Run(new BenchmarkRunInfo(dry, all.Type, all.Config));

        Assert.False(summary.HasCriticalValidationErrors, string.Join("; ", summary.ValidationErrors.Select(e => e.Message)) + log.GetLog());
        Assert.Equal(2, summary.Reports.Length);
        Assert.All(summary.Reports, report => Assert.True(report.Success, $"{report.BenchmarkCase.DisplayInfo} failed:{Environment.NewLine}{log.GetLog()}"));
        Assert.True(OperationRegistry.Count - operationsBefore >= RegistryBenchmarks.Names, "the raised bound admits every name");
        Assert.True(OperationRegistry.FoldedNames > foldedBefore, "the default bound folds names past it");
        Assert.Equal(bound, OperationRegistry.MaxOperations);
    }

    // The suites' own attributes add the disassembler, which attaches a debugger to the benchmark process: that
    // cannot be this process. Each case keeps its descriptor, job and parameters and takes the dry config alone.
    private static BenchmarkRunInfo WithoutAttributeConfig(Type suite, IConfig config)
    {
        ImmutableConfig dry = ImmutableConfigBuilder.Create(config);
        BenchmarkRunInfo converted = BenchmarkConverter.TypeToBenchmarks(suite, config);
        BenchmarkCase[] cases = [.. converted.BenchmarksCases.Select(c => BenchmarkCase.Create(c.Descriptor, c.Job, c.Parameters, dry))];
        return new BenchmarkRunInfo(cases, suite, dry);
    }

    public void Dispose()
    {
        if (Directory.Exists(_artifacts))
        {
            Directory.Delete(_artifacts, recursive: true);
        }
    }
}
