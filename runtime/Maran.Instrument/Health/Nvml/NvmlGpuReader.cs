using System.Globalization;
using Maran.Instrument.Diagnostics;
using Maran.Instrument.Interop;

namespace Maran.Instrument.Health;

/// <summary>
/// Reads NVIDIA GPUs through NVML. <see cref="Open"/> loads the library and initialises NVML once; if there is
/// no library, no driver or no device, <see cref="Status"/> says so in words and every later
/// <see cref="Read"/> returns at once without trying again, until the next <see cref="Open"/>.
/// </summary>
internal sealed class NvmlGpuReader(string? libraryPath)
{
    private readonly List<Device> _devices = [];
    private bool _attempted;
    private bool _initialised;

    /// <summary>The GPU situation in words.</summary>
    internal string Status { get; private set; } = "GPUs not read yet";

    /// <summary>Loads NVML and lists the devices, once until <see cref="Close"/>. Never throws.</summary>
    internal void Open()
    {
        if (_attempted)
        {
            return;
        }

        _attempted = true;
        if (!NativeLibraries.TryLoadNvml(libraryPath, out string source, out string problem))
        {
            Status = $"no NVIDIA driver: {problem}";
            return;
        }

        try
        {
            int rc = NvmlNative.Init();
            if (rc != NvmlErrors.Success)
            {
                Status = $"no NVIDIA driver: NVML from {source} did not start: {NvmlErrors.Describe(rc)}";
                return;
            }

            _initialised = true;
            rc = NvmlNative.DeviceGetCount(out uint count);
            if (rc != NvmlErrors.Success)
            {
                Status = $"no NVIDIA GPU: NVML could not count the devices: {NvmlErrors.Describe(rc)}";
                return;
            }

            if (count == 0)
            {
                Status = "no NVIDIA GPU: NVML found no device";
                return;
            }

            for (uint i = 0; i < count; i++)
            {
                _devices.Add(OpenDevice(i));
            }

            Status = string.Create(CultureInfo.InvariantCulture, $"{count} NVIDIA GPU{(count == 1 ? string.Empty : "s")} (NVML from {source})");
        }
        catch (EntryPointNotFoundException ex)
        {
            Status = $"no NVIDIA driver: the NVML library {source} lacks a function the monitor needs (a driver too old?): {ex.Message}";
        }
    }

    /// <summary>Adds every device's readings to <paramref name="readings"/> and its description to <paramref name="devices"/>.</summary>
    internal void Read(DateTimeOffset timestamp, List<HealthReading> readings, List<GpuDevice> devices)
    {
        foreach (Device device in _devices)
        {
            var problems = new List<string>(device.Problems);
            if (device.Handle != IntPtr.Zero)
            {
                try
                {
                    ReadDevice(device, timestamp, readings, problems);
                }
                catch (EntryPointNotFoundException ex)
                {
                    problems.Add($"the NVML library lacks a function: {ex.Message}");
                }
            }

            devices.Add(new GpuDevice(device.Index, device.Name, device.Uuid, problems));
        }
    }

    /// <summary>Shuts NVML down if it was initialised; the next <see cref="Open"/> tries again.</summary>
    internal void Close()
    {
        if (_initialised)
        {
            _initialised = false;
            try
            {
                int rc = NvmlNative.Shutdown();
                if (rc != NvmlErrors.Success)
                {
                    MonitoringDiagnostics.Warn($"[maran] NVML did not shut down cleanly: {NvmlErrors.Describe(rc)}");
                }
            }
            catch (EntryPointNotFoundException ex)
            {
                MonitoringDiagnostics.InternalError("NVML shutdown", ex);
            }
        }

        _devices.Clear();
        _attempted = false;
        Status = "GPUs not read yet";
    }

    private static Device OpenDevice(uint index)
    {
        var problems = new List<string>();
        int rc = NvmlNative.DeviceGetHandleByIndex(index, out IntPtr handle);
        if (rc != NvmlErrors.Success)
        {
            problems.Add($"handle: {NvmlErrors.Describe(rc)}");
            return new Device((int)index, IntPtr.Zero, null, null, problems);
        }

        rc = NvmlNative.GetString(handle, uuid: false, out string? name);
        if (rc != NvmlErrors.Success)
        {
            problems.Add($"name: {NvmlErrors.Describe(rc)}");
        }

        rc = NvmlNative.GetString(handle, uuid: true, out string? uuid);
        if (rc != NvmlErrors.Success)
        {
            problems.Add($"UUID: {NvmlErrors.Describe(rc)}");
        }

        return new Device((int)index, handle, name, uuid, problems);
    }

    private static void ReadDevice(Device device, DateTimeOffset timestamp, List<HealthReading> readings, List<string> problems)
    {
        string subject = GpuDevice.SubjectOf(device.Index);
        void Add(string key, double value, string unit) => readings.Add(new HealthReading(key, value, unit, timestamp, subject));
        bool Ok(int rc, string what)
        {
            if (rc == NvmlErrors.Success)
            {
                return true;
            }

            problems.Add($"{what}: {NvmlErrors.Describe(rc)}");
            return false;
        }

        if (Ok(NvmlNative.DeviceGetUtilizationRates(device.Handle, out NvmlNative.Utilization utilization), "utilization"))
        {
            Add(HealthMetrics.GpuPercent, utilization.Gpu, HealthMetrics.Percent);
            Add(HealthMetrics.GpuMemoryUtilizationPercent, utilization.Memory, HealthMetrics.Percent);
        }

        if (Ok(NvmlNative.DeviceGetMemoryInfo(device.Handle, out NvmlNative.Memory memory), "memory"))
        {
            Add(HealthMetrics.GpuMemoryUsedBytes, memory.Used, HealthMetrics.Bytes);
            Add(HealthMetrics.GpuMemoryTotalBytes, memory.Total, HealthMetrics.Bytes);
            if (memory.Total > 0)
            {
                Add(HealthMetrics.GpuMemoryPercent, 100.0 * memory.Used / memory.Total, HealthMetrics.Percent);
            }
        }

        if (Ok(NvmlNative.DeviceGetTemperature(device.Handle, NvmlNative.TemperatureGpu, out uint celsius), "temperature"))
        {
            Add(HealthMetrics.GpuTemperatureCelsius, celsius, HealthMetrics.Celsius);
        }

        bool hasPower = Ok(NvmlNative.DeviceGetPowerUsage(device.Handle, out uint milliwatts), "power draw");
        bool hasLimit = Ok(NvmlNative.DeviceGetEnforcedPowerLimit(device.Handle, out uint limitMilliwatts), "power limit");
        if (hasPower)
        {
            Add(HealthMetrics.GpuPowerWatts, milliwatts / 1000.0, HealthMetrics.Watts);
        }

        if (hasLimit)
        {
            Add(HealthMetrics.GpuPowerLimitWatts, limitMilliwatts / 1000.0, HealthMetrics.Watts);
        }

        if (hasPower && hasLimit && limitMilliwatts > 0)
        {
            Add(HealthMetrics.GpuPowerPercent, 100.0 * milliwatts / limitMilliwatts, HealthMetrics.Percent);
        }
    }

    private sealed record Device(int Index, IntPtr Handle, string? Name, string? Uuid, IReadOnlyList<string> Problems);
}
