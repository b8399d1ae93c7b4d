using BenchmarkDotNet.Attributes;
using Maran.Instrument.Benchmarks.Workloads;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>About 100 µs of arithmetic: what any wrapper costs should vanish in the noise.</summary>
public class Cpu100usBenchmarks : CpuBenchmarks<Cpu100usBenchmarks.Work>
{
    /// <summary>The intercepted call.</summary>
    [Benchmark]
    public ulong Maran() => Monitored.Cpu100us(Seed);

    /// <summary>The workload.</summary>
    public readonly struct Work : ICpuWork
    {
        /// <inheritdoc/>
        public static string Workload => Workloads.Workload.Cpu100us;

        /// <inheritdoc/>
        public static string BareMethodName => nameof(Workloads.Bare.Cpu100us);

        /// <inheritdoc/>
        public static ulong Bare(ulong seed) => Workloads.Bare.Cpu100us(seed);
    }
}
