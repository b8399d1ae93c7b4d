using BenchmarkDotNet.Attributes;
using Maran.Instrument.Benchmarks.Workloads;

namespace Maran.Instrument.Benchmarks.Suites;

/// <summary>A dependent floating-point loop of about 2 µs, shaped as users write it (see <see cref="UserShaped"/>).</summary>
public class UserFloatBenchmarks() : SynchronousBenchmarks<UserFloatBenchmarks.Work, double, double>(1.5)
{
    /// <summary>The intercepted call.</summary>
    [Benchmark]
    public double Maran() => UserShapedMonitored.FloatLoop(Input);

    /// <summary>The workload.</summary>
    public readonly struct Work : ISynchronousWork<double, double>
    {
        /// <inheritdoc/>
        public static string Workload => Workloads.Workload.UserFloat;

        /// <inheritdoc/>
        public static Type BareType => typeof(UserShaped);

        /// <inheritdoc/>
        public static string BareMethodName => nameof(UserShaped.FloatLoop);

        /// <inheritdoc/>
        public static double Bare(double input) => UserShaped.FloatLoop(input);
    }
}

/// <summary>An integer loop of about 2 µs, shaped as users write it.</summary>
public class UserIntegerBenchmarks() : SynchronousBenchmarks<UserIntegerBenchmarks.Work, ulong, ulong>(88172645463325252UL)
{
    /// <summary>The intercepted call.</summary>
    [Benchmark]
    public ulong Maran() => UserShapedMonitored.IntegerLoop(Input);

    /// <summary>The workload.</summary>
    public readonly struct Work : ISynchronousWork<ulong, ulong>
    {
        /// <inheritdoc/>
        public static string Workload => Workloads.Workload.UserInteger;

        /// <inheritdoc/>
        public static Type BareType => typeof(UserShaped);

        /// <inheritdoc/>
        public static string BareMethodName => nameof(UserShaped.IntegerLoop);

        /// <inheritdoc/>
        public static ulong Bare(ulong input) => UserShaped.IntegerLoop(input);
    }
}

/// <summary>A memory-bound pass over an array larger than L1, shaped as users write it.</summary>
public class UserMemoryBenchmarks() : SynchronousBenchmarks<UserMemoryBenchmarks.Work, double[], double>(UserShaped.NewMemory())
{
    /// <summary>The intercepted call.</summary>
    [Benchmark]
    public double Maran() => UserShapedMonitored.MemoryPass(Input, 0);

    /// <summary>The workload.</summary>
    public readonly struct Work : ISynchronousWork<double[], double>
    {
        /// <inheritdoc/>
        public static string Workload => Workloads.Workload.UserMemory;

        /// <inheritdoc/>
        public static Type BareType => typeof(UserShaped);

        /// <inheritdoc/>
        public static string BareMethodName => nameof(UserShaped.MemoryPass);

        /// <inheritdoc/>
        public static double Bare(double[] input) => UserShaped.MemoryPass(input, 0);
    }
}

/// <summary>A method that allocates short strings and arrays, shaped as users write it.</summary>
public class UserAllocatingBenchmarks() : SynchronousBenchmarks<UserAllocatingBenchmarks.Work, int, int>(7)
{
    /// <summary>The intercepted call.</summary>
    [Benchmark]
    public int Maran() => UserShapedMonitored.Allocates(Input);

    /// <summary>The workload.</summary>
    public readonly struct Work : ISynchronousWork<int, int>
    {
        /// <inheritdoc/>
        public static string Workload => Workloads.Workload.UserAllocating;

        /// <inheritdoc/>
        public static Type BareType => typeof(UserShaped);

        /// <inheritdoc/>
        public static string BareMethodName => nameof(UserShaped.Allocates);

        /// <inheritdoc/>
        public static int Bare(int input) => UserShaped.Allocates(input);
    }
}

/// <summary>A monitored method whose body only calls another (the bare floating-point loop).</summary>
public class UserCallsAnotherBenchmarks() : SynchronousBenchmarks<UserCallsAnotherBenchmarks.Work, double, double>(1.5)
{
    /// <summary>The intercepted call.</summary>
    [Benchmark]
    public double Maran() => UserShapedMonitored.CallsAnother(Input);

    /// <summary>The workload.</summary>
    public readonly struct Work : ISynchronousWork<double, double>
    {
        /// <inheritdoc/>
        public static string Workload => Workloads.Workload.UserCallsAnother;

        /// <inheritdoc/>
        public static Type BareType => typeof(UserShaped);

        /// <inheritdoc/>
        public static string BareMethodName => nameof(UserShaped.FloatLoop);

        /// <inheritdoc/>
        public static double Bare(double input) => UserShaped.FloatLoop(input);
    }
}
