using System.Runtime.InteropServices;
using Maran.Instrument.Diagnostics;

namespace Maran.Instrument.Interop;

/// <summary>The few C library calls the runtime makes on Linux: thread CPU time and the clock tick rate.</summary>
internal static partial class LibC
{
    private const int ClockThreadCpuTime = 3;
    private const int ScClockTicks = 2;

    /// <summary>Whether thread CPU time can be read: Linux only (elsewhere it is not cheap, or not the same call).</summary>
    internal static readonly bool HasThreadCpuTime = OperatingSystem.IsLinux() && NativeLibraries.Registered && Probe();

    /// <summary>
    /// CPU time one read of the thread CPU clock itself adds to a measured interval (the least of a few back-to-back
    /// pairs), subtracted from each sample so an empty call measures close to zero.
    /// </summary>
    internal static readonly long ThreadCpuReadCost = HasThreadCpuTime ? MeasureReadCost() : 0;

    /// <summary>CPU time the calling thread has used, in nanoseconds; -1 if it cannot be read.</summary>
    internal static long ThreadCpuNanoseconds()
    {
        return clock_gettime(ClockThreadCpuTime, out Timespec time) == 0 ? ((long)time.Seconds * 1_000_000_000) + time.Nanoseconds : -1;
    }

    /// <summary>Clock ticks per second, the unit of the CPU times in <c>/proc</c> (almost always 100).</summary>
    internal static long ClockTicksPerSecond()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 100;
        }

        try
        {
            long ticks = sysconf(ScClockTicks);
            return ticks > 0 ? ticks : 100;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return 100;
        }
    }

    private static long MeasureReadCost()
    {
        long least = long.MaxValue;
        for (int i = 0; i < 16; i++)
        {
            long first = ThreadCpuNanoseconds();
            long second = ThreadCpuNanoseconds();
            least = Math.Min(least, second - first);
        }

        return Math.Max(0, least);
    }

    private static bool Probe()
    {
        try
        {
            return ThreadCpuNanoseconds() >= 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            MonitoringDiagnostics.InternalError("thread CPU time", ex);
            return false;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }

    [LibraryImport(NativeLibraries.LibC)]
    private static partial int clock_gettime(int clockId, out Timespec time);

    [LibraryImport(NativeLibraries.LibC)]
    private static partial nint sysconf(int name);
}
