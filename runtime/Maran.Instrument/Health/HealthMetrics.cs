namespace Maran.Instrument.Health;

/// <summary>
/// The keys of the readings the health monitor takes. A threshold with one of these keys is checked against that
/// reading; any other key is checked against the custom metric of that name.
/// </summary>
public static class HealthMetrics
{
    /// <summary>CPU busy, percent: the container's share of its CPU quota when it has one, else the whole machine's.</summary>
    public const string CpuPercent = "cpu_percent";

    /// <summary>The whole machine's CPU busy, percent of all cores (<c>/proc/stat</c>).</summary>
    public const string SystemCpuPercent = "system_cpu_percent";

    /// <summary>The container's CPU use, percent of its CPU quota (cgroup).</summary>
    public const string ContainerCpuPercent = "container_cpu_percent";

    /// <summary>This process's CPU use, percent of the cores available to it (the quota, inside a container).</summary>
    public const string ProcessCpuPercent = "process_cpu_percent";

    /// <summary>Cores available to this process: the cgroup CPU quota, else the logical processors.</summary>
    public const string CpuLimitCores = "cpu_limit_cores";

    /// <summary>Memory in use, percent: of the container's limit when it is below the machine's memory, else of the machine's.</summary>
    public const string MemoryPercent = "memory_percent";

    /// <summary>Memory in use, bytes, on the same basis as <see cref="MemoryPercent"/>.</summary>
    public const string MemoryUsedBytes = "memory_used_bytes";

    /// <summary>Memory available in all, bytes, on the same basis as <see cref="MemoryPercent"/>.</summary>
    public const string MemoryTotalBytes = "memory_total_bytes";

    /// <summary>The machine's memory in use (total less available), percent.</summary>
    public const string SystemMemoryPercent = "system_memory_percent";

    /// <summary>The machine's memory in use (total less available), bytes.</summary>
    public const string SystemMemoryUsedBytes = "system_memory_used_bytes";

    /// <summary>The machine's memory, bytes.</summary>
    public const string SystemMemoryTotalBytes = "system_memory_total_bytes";

    /// <summary>The container's memory in use less its inactive file cache (its working set), bytes.</summary>
    public const string ContainerMemoryUsedBytes = "container_memory_used_bytes";

    /// <summary>The container's memory limit, bytes; absent when it has none.</summary>
    public const string ContainerMemoryLimitBytes = "container_memory_limit_bytes";

    /// <summary>The container's working set, percent of its limit.</summary>
    public const string ContainerMemoryPercent = "container_memory_percent";

    /// <summary>This process's resident memory, bytes.</summary>
    public const string ProcessWorkingSetBytes = "process_working_set_bytes";

    /// <summary>The managed heap after the last garbage collection, bytes.</summary>
    public const string GcHeapBytes = "gc_heap_bytes";

    /// <summary>Time the garbage collector paused the process since it started, seconds.</summary>
    public const string GcPauseSecondsTotal = "gc_pause_seconds_total";

    /// <summary>Time the garbage collector paused the process, percent of the time since the previous sample.</summary>
    public const string GcPausePercent = "gc_pause_percent";

    /// <summary>Bytes the process allocated per second since the previous sample.</summary>
    public const string AllocationRateBytesPerSecond = "allocation_rate_bytes_per_second";

    /// <summary>A file system's space in use, percent of what is usable (as <c>df</c> computes Use%); subject: the path.</summary>
    public const string DiskPercent = "disk_percent";

    /// <summary>A file system's space in use, bytes; subject: the path.</summary>
    public const string DiskUsedBytes = "disk_used_bytes";

    /// <summary>A file system's size, bytes; subject: the path.</summary>
    public const string DiskTotalBytes = "disk_total_bytes";

    /// <summary>A file system's space available to this user, bytes; subject: the path.</summary>
    public const string DiskAvailableBytes = "disk_available_bytes";

    /// <summary>A GPU's busy time (kernels running), percent; subject: <c>GPU n</c>.</summary>
    public const string GpuPercent = "gpu_percent";

    /// <summary>A GPU's memory controller busy time, percent; subject: <c>GPU n</c>.</summary>
    public const string GpuMemoryUtilizationPercent = "gpu_memory_utilization_percent";

    /// <summary>A GPU's memory in use, bytes; subject: <c>GPU n</c>.</summary>
    public const string GpuMemoryUsedBytes = "gpu_memory_used_bytes";

    /// <summary>A GPU's memory, bytes; subject: <c>GPU n</c>.</summary>
    public const string GpuMemoryTotalBytes = "gpu_memory_total_bytes";

    /// <summary>A GPU's memory in use, percent; subject: <c>GPU n</c>.</summary>
    public const string GpuMemoryPercent = "gpu_memory_percent";

    /// <summary>A GPU's core temperature, degrees Celsius; subject: <c>GPU n</c>.</summary>
    public const string GpuTemperatureCelsius = "gpu_temperature_celsius";

    /// <summary>A GPU's power draw, watts; subject: <c>GPU n</c>.</summary>
    public const string GpuPowerWatts = "gpu_power_watts";

    /// <summary>A GPU's enforced power limit, watts; subject: <c>GPU n</c>.</summary>
    public const string GpuPowerLimitWatts = "gpu_power_limit_watts";

    /// <summary>A GPU's power draw, percent of its enforced limit; subject: <c>GPU n</c>.</summary>
    public const string GpuPowerPercent = "gpu_power_percent";

    internal const string Percent = "percent";
    internal const string Bytes = "bytes";
    internal const string Cores = "cores";
    internal const string Celsius = "celsius";
    internal const string Watts = "watts";
    internal const string Seconds = "seconds";
    internal const string BytesPerSecond = "bytes_per_second";
}
