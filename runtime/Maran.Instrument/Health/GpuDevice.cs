namespace Maran.Instrument.Health;

/// <summary>One NVIDIA GPU as NVML names it.</summary>
/// <param name="Index">NVML's index of the device; readings of this device carry the subject <c>GPU {Index}</c>.</param>
/// <param name="Name">The product name, for example <c>NVIDIA H100 80GB HBM3</c>, or null if NVML would not say.</param>
/// <param name="Uuid">The device's UUID (<c>GPU-...</c>), or null if NVML would not say.</param>
/// <param name="Problems">Readings of this device that failed in the last sample, each with NVML's reason in words.</param>
public sealed record GpuDevice(int Index, string? Name, string? Uuid, IReadOnlyList<string> Problems)
{
    /// <summary>The subject of this device's readings: <c>GPU {Index}</c>.</summary>
    public string Subject => SubjectOf(Index);

    internal static string SubjectOf(int index) => $"GPU {index.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
