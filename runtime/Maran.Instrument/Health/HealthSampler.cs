using System.Diagnostics;
using Maran.Instrument.Interop;

namespace Maran.Instrument.Health;

/// <summary>
/// Takes one health sample: reads CPU, memory, disk and GPU figures and turns the counters among them (CPU time,
/// GC pauses, allocations) into rates over the time since the previous sample. Not thread-safe: the monitor
/// calls it under its sampling lock.
/// </summary>
internal sealed class HealthSampler
{
    private readonly TimeProvider _time;
    private readonly bool _linux;
    private readonly bool _liveRoot;
    private readonly ProcReader? _proc;
    private readonly CgroupReader? _cgroup;
    private readonly DiskReader _disks;
    private readonly NvmlGpuReader? _gpu;
    private readonly long _clockTicks;
    private Counters? _previous;

    /// <param name="time">The clock of the samples.</param>
    /// <param name="root">Where <c>/proc</c> and <c>/sys/fs/cgroup</c> are read from: <c>/</c>, or a fixture folder in tests.</param>
    /// <param name="diskPaths">Paths whose file systems are watched.</param>
    /// <param name="gpu">Whether GPUs are read.</param>
    /// <param name="nvmlLibrary">NVML library to load instead of the driver's, or null.</param>
    internal HealthSampler(TimeProvider time, string root, IReadOnlyList<string> diskPaths, bool gpu, string? nvmlLibrary)
    {
        _time = time;
        _linux = OperatingSystem.IsLinux();
        _liveRoot = Path.GetFullPath(root) == "/";
        if (_linux)
        {
            _proc = new ProcReader(root);
            _cgroup = new CgroupReader(root);
            _clockTicks = LibC.ClockTicksPerSecond();
        }

        _disks = new DiskReader(diskPaths);
        _gpu = gpu ? new NvmlGpuReader(nvmlLibrary) : null;
    }

    /// <summary>The cgroup version found (1 or 2), or 0 outside any; for tests and messages.</summary>
    internal int CgroupVersion => _cgroup?.Version ?? 0;

    /// <summary>Loads NVML and lists the GPUs, once until <see cref="CloseGpu"/>.</summary>
    internal void OpenGpu() => _gpu?.Open();

    /// <summary>Shuts NVML down.</summary>
    internal void CloseGpu() => _gpu?.Close();

    /// <summary>Reads the counters that rates are measured from, without producing a sample.</summary>
    internal void SetBaseline() => _previous = ReadCounters(_time.GetTimestamp(), _cgroup?.Read());

    /// <summary>Takes one sample; <paramref name="custom"/> adds the custom metrics' latest values.</summary>
    internal HealthSnapshot Sample(IEnumerable<HealthReading> custom)
    {
        DateTimeOffset now = _time.GetUtcNow();
        long timestamp = _time.GetTimestamp();
        var readings = new List<HealthReading>();
        var unavailable = new List<string>();
        void Add(string key, double value, string unit) => readings.Add(new HealthReading(key, value, unit, now));

        CgroupReader.Reading? group = _cgroup?.Read();
        Counters counters = ReadCounters(timestamp, group);
        Counters? previous = _previous;
        _previous = counters;
        double seconds = previous is null ? 0 : _time.GetElapsedTime(previous.Timestamp, timestamp).TotalSeconds;
        bool haveInterval = seconds > 0;

        int logical = counters.System is { Cpus: > 0 } system ? system.Cpus : Environment.ProcessorCount;
        if (_liveRoot)
        {
            logical = Math.Min(logical, Environment.ProcessorCount);
        }

        double cores = group?.CpuLimitCores is { } quota ? Math.Min(quota, logical) : logical;
        Add(HealthMetrics.CpuLimitCores, cores, HealthMetrics.Cores);
        ReadCpu(previous, counters, seconds, cores, group, Add, unavailable);
        ReadMemory(group, Add, unavailable);
        ReadRuntime(previous, counters, seconds, Add);
        if (!haveInterval)
        {
            unavailable.Add("CPU, GC pause and allocation rates: the first sample only sets the baseline they are measured from");
        }

        _disks.Read(now, readings, unavailable);
        var gpus = new List<GpuDevice>();
        string gpuStatus = "GPU readings are turned off (monitoring.health.gpu: false)";
        if (_gpu is not null)
        {
            _gpu.Read(now, readings, gpus);
            gpuStatus = _gpu.Status;
        }

        readings.AddRange(custom);
        return new HealthSnapshot
        {
            Timestamp = now,
            MonotonicTimestamp = timestamp,
            Readings = readings,
            Gpus = gpus,
            GpuStatus = gpuStatus,
            Unavailable = unavailable,
        };
    }

    private void ReadCpu(Counters? previous, Counters current, double seconds, double cores, CgroupReader.Reading? group, Action<string, double, string> add, List<string> unavailable)
    {
        double? systemPercent = null;
        double? containerPercent = null;
        if (!_linux)
        {
            unavailable.Add("system_cpu_percent: the whole machine's CPU is read from /proc/stat, which only Linux has");
        }
        else if (current.System is null)
        {
            unavailable.Add("system_cpu_percent: /proc/stat could not be read");
        }

        if (previous is not null && seconds > 0)
        {
            if (previous.System is { } before && current.System is { } after && after.Total > before.Total)
            {
                systemPercent = 100.0 * (after.Busy - before.Busy) / (after.Total - before.Total);
                add(HealthMetrics.SystemCpuPercent, systemPercent.Value, HealthMetrics.Percent);
            }

            if (group?.CpuLimitCores is { } quota && previous.GroupCpuNanoseconds is { } groupBefore && current.GroupCpuNanoseconds is { } groupAfter)
            {
                containerPercent = 100.0 * (groupAfter - groupBefore) / (seconds * 1e9 * quota);
                add(HealthMetrics.ContainerCpuPercent, containerPercent.Value, HealthMetrics.Percent);
            }

            add(HealthMetrics.ProcessCpuPercent, 100.0 * (current.ProcessCpuSeconds - previous.ProcessCpuSeconds) / (seconds * cores), HealthMetrics.Percent);
        }

        if ((containerPercent ?? systemPercent) is { } effective)
        {
            add(HealthMetrics.CpuPercent, effective, HealthMetrics.Percent);
        }
        else if (previous is not null && seconds > 0)
        {
            unavailable.Add("cpu_percent: neither the machine's nor the container's CPU time could be read on this platform");
        }
    }

    private void ReadMemory(CgroupReader.Reading? group, Action<string, double, string> add, List<string> unavailable)
    {
        long? total = null;
        long? used = null;
        if (_proc?.ReadMemoryInfo() is { } memory)
        {
            total = memory.Total;
            used = memory.Total - memory.Available;
        }
        else if (!_linux)
        {
            // Elsewhere the GC's view of the machine is what there is: the memory load it saw at its last collection.
            GCMemoryInfo info = GC.GetGCMemoryInfo();
            if (info.TotalAvailableMemoryBytes > 0 && info.MemoryLoadBytes > 0)
            {
                total = info.TotalAvailableMemoryBytes;
                used = info.MemoryLoadBytes;
                unavailable.Add("system memory: read from the garbage collector's memory load at its last collection (/proc/meminfo exists only on Linux)");
            }
            else
            {
                unavailable.Add("system memory: no garbage collection has measured the memory load yet (/proc/meminfo exists only on Linux)");
            }
        }
        else
        {
            unavailable.Add("system memory: /proc/meminfo could not be read");
        }

        if (total is { } t && used is { } u)
        {
            add(HealthMetrics.SystemMemoryTotalBytes, t, HealthMetrics.Bytes);
            add(HealthMetrics.SystemMemoryUsedBytes, u, HealthMetrics.Bytes);
            add(HealthMetrics.SystemMemoryPercent, 100.0 * u / t, HealthMetrics.Percent);
        }

        if (group?.MemoryUsedBytes is { } groupUsed)
        {
            add(HealthMetrics.ContainerMemoryUsedBytes, groupUsed, HealthMetrics.Bytes);
        }

        bool limited = group?.MemoryLimitBytes is { } limit && (total is null || limit < total);
        if (limited && group!.Value.MemoryUsedBytes is { } containerUsed)
        {
            long containerLimit = group.Value.MemoryLimitBytes!.Value;
            add(HealthMetrics.ContainerMemoryLimitBytes, containerLimit, HealthMetrics.Bytes);
            add(HealthMetrics.ContainerMemoryPercent, 100.0 * containerUsed / containerLimit, HealthMetrics.Percent);
            total = containerLimit;
            used = containerUsed;
        }
        else if (!_linux)
        {
            unavailable.Add("container memory limit: control groups exist only on Linux");
        }

        if (total is { } effectiveTotal && used is { } effectiveUsed)
        {
            add(HealthMetrics.MemoryTotalBytes, effectiveTotal, HealthMetrics.Bytes);
            add(HealthMetrics.MemoryUsedBytes, effectiveUsed, HealthMetrics.Bytes);
            add(HealthMetrics.MemoryPercent, 100.0 * effectiveUsed / effectiveTotal, HealthMetrics.Percent);
        }
    }

    private static void ReadRuntime(Counters? previous, Counters current, double seconds, Action<string, double, string> add)
    {
        add(HealthMetrics.ProcessWorkingSetBytes, current.WorkingSetBytes, HealthMetrics.Bytes);
        add(HealthMetrics.GcHeapBytes, GC.GetGCMemoryInfo().HeapSizeBytes, HealthMetrics.Bytes);
        add(HealthMetrics.GcPauseSecondsTotal, current.GcPauseSeconds, HealthMetrics.Seconds);
        if (previous is not null && seconds > 0)
        {
            add(HealthMetrics.GcPausePercent, 100.0 * (current.GcPauseSeconds - previous.GcPauseSeconds) / seconds, HealthMetrics.Percent);
            add(HealthMetrics.AllocationRateBytesPerSecond, (current.AllocatedBytes - previous.AllocatedBytes) / seconds, HealthMetrics.BytesPerSecond);
        }
    }

    private Counters ReadCounters(long timestamp, CgroupReader.Reading? group)
    {
        double processCpu;
        long workingSet;
        if (_proc?.ReadProcessStat() is { } stat)
        {
            processCpu = (double)(stat.UserTicks + stat.SystemTicks) / _clockTicks;
            workingSet = stat.ResidentPages * Environment.SystemPageSize;
        }
        else
        {
            using Process process = Process.GetCurrentProcess();
            processCpu = process.TotalProcessorTime.TotalSeconds;
            workingSet = process.WorkingSet64;
        }

        return new Counters(
            timestamp,
            _proc?.ReadCpuTimes(),
            group?.CpuUsageNanoseconds,
            processCpu,
            workingSet,
            GC.GetTotalPauseDuration().TotalSeconds,
            GC.GetTotalAllocatedBytes(precise: false));
    }

    private sealed record Counters(
        long Timestamp,
        ProcReader.CpuTimes? System,
        long? GroupCpuNanoseconds,
        double ProcessCpuSeconds,
        long WorkingSetBytes,
        double GcPauseSeconds,
        long AllocatedBytes);
}
