using System.Runtime.InteropServices;
using Maran.Instrument.Interop;

namespace Maran.Instrument.Health;

/// <summary>
/// The NVML calls the health monitor makes, bound through <see cref="NativeLibraries"/> to the library
/// <see cref="NativeLibraries.TryLoadNvml"/> loaded (the driver's <c>libnvidia-ml.so.1</c> or <c>nvml.dll</c>).
/// Every call returns an <c>nvmlReturn_t</c>: 0 is success, see <see cref="NvmlErrors"/>.
/// </summary>
internal static unsafe partial class NvmlNative
{
    /// <summary>Size of the name and UUID buffers NVML asks for (NVML_DEVICE_NAME_V2_BUFFER_SIZE).</summary>
    internal const int StringBufferSize = 96;

    /// <summary>NVML_TEMPERATURE_GPU: the GPU die sensor.</summary>
    internal const int TemperatureGpu = 0;

    [StructLayout(LayoutKind.Sequential)]
    internal struct Utilization
    {
        public uint Gpu;
        public uint Memory;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct Memory
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }

    [LibraryImport(NativeLibraries.Nvml, EntryPoint = "nvmlInit_v2")]
    internal static partial int Init();

    [LibraryImport(NativeLibraries.Nvml, EntryPoint = "nvmlShutdown")]
    internal static partial int Shutdown();

    [LibraryImport(NativeLibraries.Nvml, EntryPoint = "nvmlDeviceGetCount_v2")]
    internal static partial int DeviceGetCount(out uint count);

    [LibraryImport(NativeLibraries.Nvml, EntryPoint = "nvmlDeviceGetHandleByIndex_v2")]
    internal static partial int DeviceGetHandleByIndex(uint index, out IntPtr device);

    [LibraryImport(NativeLibraries.Nvml, EntryPoint = "nvmlDeviceGetName")]
    internal static partial int DeviceGetName(IntPtr device, byte* name, uint length);

    [LibraryImport(NativeLibraries.Nvml, EntryPoint = "nvmlDeviceGetUUID")]
    internal static partial int DeviceGetUuid(IntPtr device, byte* uuid, uint length);

    [LibraryImport(NativeLibraries.Nvml, EntryPoint = "nvmlDeviceGetUtilizationRates")]
    internal static partial int DeviceGetUtilizationRates(IntPtr device, out Utilization utilization);

    [LibraryImport(NativeLibraries.Nvml, EntryPoint = "nvmlDeviceGetMemoryInfo")]
    internal static partial int DeviceGetMemoryInfo(IntPtr device, out Memory memory);

    [LibraryImport(NativeLibraries.Nvml, EntryPoint = "nvmlDeviceGetTemperature")]
    internal static partial int DeviceGetTemperature(IntPtr device, int sensor, out uint celsius);

    [LibraryImport(NativeLibraries.Nvml, EntryPoint = "nvmlDeviceGetPowerUsage")]
    internal static partial int DeviceGetPowerUsage(IntPtr device, out uint milliwatts);

    [LibraryImport(NativeLibraries.Nvml, EntryPoint = "nvmlDeviceGetEnforcedPowerLimit")]
    internal static partial int DeviceGetEnforcedPowerLimit(IntPtr device, out uint milliwatts);

    /// <summary>Reads a NUL-terminated string property of a device (its name or UUID).</summary>
    internal static int GetString(IntPtr device, bool uuid, out string? value)
    {
        byte* buffer = stackalloc byte[StringBufferSize];
        int rc = uuid ? DeviceGetUuid(device, buffer, StringBufferSize) : DeviceGetName(device, buffer, StringBufferSize);
        value = rc == NvmlErrors.Success ? Marshal.PtrToStringUTF8((IntPtr)buffer) : null;
        return rc;
    }
}
