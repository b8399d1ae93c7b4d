using Maran.Instrument.Benchmarks.Workloads;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>A CPU-bound workload of <see cref="Bare"/>: rounds of xorshift from a seed.</summary>
public interface ICpuWork : ISynchronousWork<ulong, ulong>
{
    /// <inheritdoc/>
    static Type ISynchronousWork<ulong, ulong>.BareType => typeof(Bare);
}

/// <summary>
/// The bare call, the floor and the peers around a CPU-bound method; the concrete suite adds the intercepted call.
/// </summary>
/// <typeparam name="TWork">The workload.</typeparam>
public abstract class CpuBenchmarks<TWork> : SynchronousBenchmarks<TWork, ulong, ulong>
    where TWork : struct, ICpuWork
{
    /// <summary>Creates the suite.</summary>
    protected CpuBenchmarks()
        : base(0x9E3779B97F4A7C15)
    {
    }

    /// <summary>The argument every call gets.</summary>
    protected ulong Seed => Input;
}
