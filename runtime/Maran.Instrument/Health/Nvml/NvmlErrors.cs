using System.Globalization;

namespace Maran.Instrument.Health;

/// <summary>NVML's return codes (<c>nvmlReturn_t</c>) and what they mean in words.</summary>
internal static class NvmlErrors
{
    internal const int Success = 0;
    internal const int NotSupported = 3;
    internal const int DriverNotLoaded = 9;
    internal const int GpuIsLost = 15;

    /// <summary>The code's meaning in words, with NVML's name for it.</summary>
    internal static string Describe(int code) => code switch
    {
        0 => "success (NVML_SUCCESS)",
        1 => "NVML was not initialised (NVML_ERROR_UNINITIALIZED)",
        2 => "an argument was invalid (NVML_ERROR_INVALID_ARGUMENT)",
        3 => "not supported by this device (NVML_ERROR_NOT_SUPPORTED)",
        4 => "no permission (NVML_ERROR_NO_PERMISSION)",
        6 => "not found (NVML_ERROR_NOT_FOUND)",
        7 => "buffer too small (NVML_ERROR_INSUFFICIENT_SIZE)",
        8 => "the device's external power cables are not attached (NVML_ERROR_INSUFFICIENT_POWER)",
        9 => "the NVIDIA driver is not loaded (NVML_ERROR_DRIVER_NOT_LOADED)",
        10 => "the device timed out (NVML_ERROR_TIMEOUT)",
        11 => "the kernel detected an interrupt issue with the device (NVML_ERROR_IRQ_ISSUE)",
        12 => "a library NVML needs was not found (NVML_ERROR_LIBRARY_NOT_FOUND)",
        13 => "a function is missing from the NVML library (NVML_ERROR_FUNCTION_NOT_FOUND)",
        14 => "the device's infoROM is corrupted (NVML_ERROR_CORRUPTED_INFOROM)",
        15 => "the GPU is lost: it fell off the bus or is otherwise inaccessible (NVML_ERROR_GPU_IS_LOST)",
        16 => "the GPU must be reset (NVML_ERROR_RESET_REQUIRED)",
        17 => "the operating system blocked the call (NVML_ERROR_OPERATING_SYSTEM)",
        18 => "the NVML library and the driver versions differ (NVML_ERROR_LIB_RM_VERSION_MISMATCH)",
        19 => "the device is in use (NVML_ERROR_IN_USE)",
        20 => "out of memory (NVML_ERROR_MEMORY)",
        21 => "no data (NVML_ERROR_NO_DATA)",
        27 => "not ready yet (NVML_ERROR_NOT_READY)",
        28 => "the GPU was not found (NVML_ERROR_GPU_NOT_FOUND)",
        29 => "the device is in an invalid state (NVML_ERROR_INVALID_STATE)",
        999 => "an unknown error (NVML_ERROR_UNKNOWN)",
        _ => string.Create(CultureInfo.InvariantCulture, $"NVML error {code}"),
    };
}
