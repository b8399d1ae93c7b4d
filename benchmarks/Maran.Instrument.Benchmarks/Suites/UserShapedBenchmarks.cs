using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Maran.Instrument.Benchmarks.Workloads;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>
/// The user-shaped workloads of <see cref="UserShaped"/> (no <c>MethodImpl</c> attributes: inlined as the JIT likes),
/// each bare, monitored, and inside a hand-written timer with the same two clock reads, in one run.
/// </summary>
[MemoryDiagnoser]
public class UserShapedBenchmarks
{
    private readonly double[] _data = new double[UserShaped.MemoryLength];
    private int _offset;
    private long _handTimed;

    /// <summary>Every call timed, as the other suites run, and the array filled.</summary>
    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < _data.Length; i++)
        {
            _data[i] = i * 0.5;
        }

        MonitoringRuntime.Enabled = true;
        MonitoringRuntime.SampleInterval = 1;
        MonitoringRuntime.AllocationSampleInterval = MonitoringDefaults.AllocationSampleInterval;
        MonitoringRuntime.CallTreeEnabled = false;
        MonitoringRuntime.TracingEnabled = true;
    }

    /// <summary>What the hand-written timers measured, so their clock reads cannot be dropped.</summary>
    public long HandTimedTicks => _handTimed;

    /// <summary>The floating-point loop, bare.</summary>
    [Benchmark]
    [BenchmarkCategory("float")]
    public double FloatBare() => UserShaped.FloatLoop(1.5);

    /// <summary>The floating-point loop, monitored.</summary>
    [Benchmark]
    [BenchmarkCategory("float")]
    public double FloatMaran() => UserShapedMonitored.FloatLoop(1.5);

    /// <summary>The floating-point loop between two clock reads written by hand.</summary>
    [Benchmark]
    [BenchmarkCategory("float")]
    public double FloatHandTimed()
    {
        long start = Stopwatch.GetTimestamp();
        double result = UserShaped.FloatLoop(1.5);
        _handTimed += Stopwatch.GetTimestamp() - start;
        return result;
    }

    /// <summary>The integer loop, bare.</summary>
    [Benchmark]
    [BenchmarkCategory("integer")]
    public ulong IntegerBare() => UserShaped.IntegerLoop(88172645463325252UL);

    /// <summary>The integer loop, monitored.</summary>
    [Benchmark]
    [BenchmarkCategory("integer")]
    public ulong IntegerMaran() => UserShapedMonitored.IntegerLoop(88172645463325252UL);

    /// <summary>The integer loop between two clock reads written by hand.</summary>
    [Benchmark]
    [BenchmarkCategory("integer")]
    public ulong IntegerHandTimed()
    {
        long start = Stopwatch.GetTimestamp();
        ulong result = UserShaped.IntegerLoop(88172645463325252UL);
        _handTimed += Stopwatch.GetTimestamp() - start;
        return result;
    }

    /// <summary>The memory-bound pass, bare.</summary>
    [Benchmark]
    [BenchmarkCategory("memory")]
    public double MemoryBare() => UserShaped.MemoryPass(_data, _offset++);

    /// <summary>The memory-bound pass, monitored.</summary>
    [Benchmark]
    [BenchmarkCategory("memory")]
    public double MemoryMaran() => UserShapedMonitored.MemoryPass(_data, _offset++);

    /// <summary>The memory-bound pass between two clock reads written by hand.</summary>
    [Benchmark]
    [BenchmarkCategory("memory")]
    public double MemoryHandTimed()
    {
        long start = Stopwatch.GetTimestamp();
        double result = UserShaped.MemoryPass(_data, _offset++);
        _handTimed += Stopwatch.GetTimestamp() - start;
        return result;
    }

    /// <summary>The allocating method, bare.</summary>
    [Benchmark]
    [BenchmarkCategory("allocates")]
    public int AllocatesBare() => UserShaped.Allocates(7);

    /// <summary>The allocating method, monitored.</summary>
    [Benchmark]
    [BenchmarkCategory("allocates")]
    public int AllocatesMaran() => UserShapedMonitored.Allocates(7);

    /// <summary>The allocating method between two clock reads written by hand.</summary>
    [Benchmark]
    [BenchmarkCategory("allocates")]
    public int AllocatesHandTimed()
    {
        long start = Stopwatch.GetTimestamp();
        int result = UserShaped.Allocates(7);
        _handTimed += Stopwatch.GetTimestamp() - start;
        return result;
    }

    /// <summary>A monitored method whose body only calls the bare floating-point loop.</summary>
    [Benchmark]
    [BenchmarkCategory("float")]
    public double CallsAnotherMaran() => UserShapedMonitored.CallsAnother(1.5);
}
