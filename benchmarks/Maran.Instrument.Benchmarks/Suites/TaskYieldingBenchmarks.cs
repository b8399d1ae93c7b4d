using BenchmarkDotNet.Attributes;
using Maran.Instrument.Benchmarks.Workloads;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>
/// A Task method that yields to the thread pool once: the interceptor observes the task's completion (one small
/// allocation) instead of wrapping it in a new task as the peers' async wrappers do.
/// </summary>
public class TaskYieldingBenchmarks : TaskBenchmarks<TaskYieldingBenchmarks.Work>
{
    /// <summary>The intercepted call.</summary>
    [Benchmark]
    public Task<int> Maran() => Monitored.TaskYielding(Value);

    /// <summary>The workload.</summary>
    public readonly struct Work : ITaskWork
    {
        /// <inheritdoc/>
        public static string Workload => Workloads.Workload.TaskYielding;

        /// <inheritdoc/>
        public static string BareMethodName => nameof(Workloads.Bare.TaskYielding);

        /// <inheritdoc/>
        public static Task<int> Bare(int value) => Workloads.Bare.TaskYielding(value);
    }
}
