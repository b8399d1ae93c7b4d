using System.Globalization;
using System.Text.Json;
using Maran.Instrument.Configuration;
using Maran.Instrument.Health;

// Reads the machine's health twice, a second apart (CPU and allocation rates need an interval), and prints the
// GPUs as nvidia-smi's CSV query does, then every reading and the health status. --json prints the status as JSON.
// The configuration comes from monitoring_config.yaml and the MARAN_* variables (MARAN_NVML_LIBRARY among them).
bool json = args.Contains("--json");
MonitoringOptions options = MonitoringOptions.Load();
using var monitor = new SystemHealthMonitor(options.Monitoring);
monitor.StartMonitoring();
await Task.Delay(TimeSpan.FromSeconds(1));
HealthStatus status = monitor.CheckNow();
monitor.StopMonitoring();

if (json)
{
    Console.WriteLine(JsonSerializer.Serialize(status, new JsonSerializerOptions { WriteIndented = true }));
    return;
}

CultureInfo invariant = CultureInfo.InvariantCulture;
HealthSnapshot snapshot = status.Snapshot;
Console.WriteLine($"GPU: {snapshot.GpuStatus}");
if (snapshot.Gpus.Count > 0)
{
    Console.WriteLine("name, uuid, utilization.gpu [%], memory.used [MiB], memory.total [MiB], temperature.gpu, power.draw [W]");
    foreach (GpuDevice gpu in snapshot.Gpus)
    {
        string Read(string key, string unit = "", double scale = 1, string format = "0") =>
            snapshot[key, gpu.Subject] is { } value ? (value / scale).ToString(format, invariant) + unit : "[N/A]";

        Console.WriteLine(string.Join(", ",
            gpu.Name ?? "[N/A]",
            gpu.Uuid ?? "[N/A]",
            Read(HealthMetrics.GpuPercent, " %"),
            Read(HealthMetrics.GpuMemoryUsedBytes, " MiB", 1024 * 1024),
            Read(HealthMetrics.GpuMemoryTotalBytes, " MiB", 1024 * 1024),
            Read(HealthMetrics.GpuTemperatureCelsius),
            Read(HealthMetrics.GpuPowerWatts, " W", format: "0.00")));
        foreach (string problem in gpu.Problems)
        {
            Console.WriteLine($"  {gpu.Subject}: {problem}");
        }
    }
}

Console.WriteLine();
Console.WriteLine("Readings:");
foreach (HealthReading reading in snapshot.Readings)
{
    Console.WriteLine($"  {reading}");
}

foreach (string missing in snapshot.Unavailable)
{
    Console.WriteLine($"  unavailable: {missing}");
}

Console.WriteLine();
Console.WriteLine($"Health: {status}");
foreach (string notChecked in status.Unchecked)
{
    Console.WriteLine($"  not checked: {notChecked}");
}
