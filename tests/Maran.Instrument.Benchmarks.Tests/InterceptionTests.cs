using System.Reflection;
using Maran.Instrument.Benchmarks.Suites;

namespace Maran.Instrument.Benchmarks.Tests;

/// <summary>
/// A benchmark that silently measured an unintercepted call would prove nothing: each suite's Maran benchmarks
/// must reach their operation's recorder, and its other benchmarks must not.
/// </summary>
public sealed class InterceptionTests
{
    public static TheoryData<string> SuiteNames() => [.. Suites.All.Select(t => t.Name)];

    [Fact]
    public void Every_workload_has_a_suite()
    {
        Assert.Equal(15, Suites.All.Count);
    }

    [Theory]
    [MemberData(nameof(SuiteNames))]
    public void Maran_benchmarks_go_through_the_generated_interceptor(string suiteName)
    {
        Type type = Suites.All.Single(t => t.Name == suiteName);
        var suite = (WorkloadBenchmarks)Activator.CreateInstance(type)!;
        foreach (MethodInfo benchmark in Suites.Benchmarks(type).Where(m => m.Name.StartsWith("Maran", StringComparison.Ordinal)))
        {
            if (benchmark.Name == "MaranSampled")
            {
                suite.SetupSampled();
            }
            else
            {
                suite.Setup();
            }

            try
            {
                long before = Suites.CallsOf(suite);
                Suites.Invoke(suite, benchmark);
                long calls = Suites.CallsOf(suite) - before;
                long expected = type == typeof(ContentionBenchmarks) ? 2 * ContentionBenchmarks.CallsPerThread : 1;
                Assert.True(calls == expected, $"{suiteName}.{benchmark.Name} recorded {calls} calls of '{suite.Workload}', expected {expected}");
            }
            finally
            {
                suite.Cleanup();
            }
        }
    }

    [Theory]
    [MemberData(nameof(SuiteNames))]
    public void Baseline_and_peer_benchmarks_leave_the_operation_alone(string suiteName)
    {
        Type type = Suites.All.Single(t => t.Name == suiteName);
        var suite = (WorkloadBenchmarks)Activator.CreateInstance(type)!;
        suite.Setup();
        try
        {
            foreach (MethodInfo benchmark in Suites.Benchmarks(type).Where(m => !m.Name.StartsWith("Maran", StringComparison.Ordinal)))
            {
                long before = Suites.CallsOf(suite);
                Suites.Invoke(suite, benchmark);
                Assert.True(Suites.CallsOf(suite) == before, $"{suiteName}.{benchmark.Name} called the monitored operation");
            }
        }
        finally
        {
            suite.Cleanup();
        }
    }
}
