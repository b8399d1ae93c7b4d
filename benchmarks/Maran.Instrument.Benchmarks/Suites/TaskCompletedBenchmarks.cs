using BenchmarkDotNet.Attributes;
using Maran.Instrument.Benchmarks.Workloads;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>
/// A Task method that completes synchronously: the interceptor hands the same task back and adds no allocation;
/// the peers need an async wrapper to time it, and that wrapper allocates a task of its own.
/// </summary>
public class TaskCompletedBenchmarks : TaskBenchmarks<TaskCompletedBenchmarks.Work>
{
    /// <summary>The intercepted call.</summary>
    [Benchmark]
    public Task<int> Maran() => Monitored.TaskCompleted(Value);

    /// <summary>The workload.</summary>
    public readonly struct Work : ITaskWork
    {
        /// <inheritdoc/>
        public static string Workload => Workloads.Workload.TaskCompleted;

        /// <inheritdoc/>
        public static string BareMethodName => nameof(Workloads.Bare.TaskCompleted);

        /// <inheritdoc/>
        public static Task<int> Bare(int value) => Workloads.Bare.TaskCompleted(value);
    }
}
