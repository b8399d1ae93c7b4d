using BenchmarkDotNet.Attributes;
using Maran.Instrument.Benchmarks.Workloads;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>About 2 µs of arithmetic: the budget is 5% of it with every call timed.</summary>
public class Cpu2usBenchmarks : CpuBenchmarks<Cpu2usBenchmarks.Work>
{
    /// <summary>The intercepted call.</summary>
    [Benchmark]
    public ulong Maran() => Monitored.Cpu2us(Seed);

    /// <summary>The intercepted call, 1 in <see cref="WorkloadBenchmarks.SampledRate"/> timed.</summary>
    [Benchmark]
    public ulong MaranSampled() => Monitored.Cpu2us(Seed);

    /// <summary>The workload.</summary>
    public readonly struct Work : ICpuWork
    {
        /// <inheritdoc/>
        public static string Workload => Workloads.Workload.Cpu2us;

        /// <inheritdoc/>
        public static string BareMethodName => nameof(Workloads.Bare.Cpu2us);

        /// <inheritdoc/>
        public static ulong Bare(ulong seed) => Workloads.Bare.Cpu2us(seed);
    }
}
