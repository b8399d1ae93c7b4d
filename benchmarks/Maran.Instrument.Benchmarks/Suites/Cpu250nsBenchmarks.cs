using BenchmarkDotNet.Attributes;
using Maran.Instrument.Benchmarks.Workloads;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>
/// About 250 ns of arithmetic. Two clock reads are a fifth of that, so timing every call cannot stay under 5%:
/// <c>MaranSampled</c> times 1 call in 16 and counts them all.
/// </summary>
public class Cpu250nsBenchmarks : CpuBenchmarks<Cpu250nsBenchmarks.Work>
{
    /// <summary>The intercepted call.</summary>
    [Benchmark]
    public ulong Maran() => Monitored.Cpu250ns(Seed);

    /// <summary>The intercepted call, 1 in <see cref="WorkloadBenchmarks.SampledRate"/> timed.</summary>
    [Benchmark]
    public ulong MaranSampled() => Monitored.Cpu250ns(Seed);

    /// <summary>The workload.</summary>
    public readonly struct Work : ICpuWork
    {
        /// <inheritdoc/>
        public static string Workload => Workloads.Workload.Cpu250ns;

        /// <inheritdoc/>
        public static string BareMethodName => nameof(Workloads.Bare.Cpu250ns);

        /// <inheritdoc/>
        public static ulong Bare(ulong seed) => Workloads.Bare.Cpu250ns(seed);
    }
}
