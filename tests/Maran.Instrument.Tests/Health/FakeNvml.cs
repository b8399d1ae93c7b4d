using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Maran.Instrument.Tests.Health;

/// <summary>
/// Builds the stand-in NVML library (Fixtures/fake_nvml.c) with gcc once per test run and drives it: which
/// scenario it plays, and how often the monitor initialised and shut it down.
/// </summary>
internal static unsafe class FakeNvml
{
    public const int TwoDevices = 0;
    public const int DriverNotLoaded = 1;
    public const int NoDevice = 2;

    private static readonly Lazy<string> s_library = new(Build);

    /// <summary>Path of the built library, named as the driver's.</summary>
    public static string LibraryPath => s_library.Value;

    public static void SetScenario(int scenario) => ((delegate* unmanaged<int, void>)Export("fake_nvml_set_scenario"))(scenario);

    public static int InitCalls => ((delegate* unmanaged<int>)Export("fake_nvml_init_calls"))();

    public static int ShutdownCalls => ((delegate* unmanaged<int>)Export("fake_nvml_shutdown_calls"))();

    private static IntPtr Export(string name) => NativeLibrary.GetExport(NativeLibrary.Load(LibraryPath), name);

    private static string Build()
    {
        string source = Path.Combine(AppContext.BaseDirectory, "Health", "Fixtures", "fake_nvml.c");
        string directory = Directory.CreateTempSubdirectory("maran-fake-nvml-").FullName;
        string library = Path.Combine(directory, "libnvidia-ml.so.1");
        var start = new ProcessStartInfo("gcc", ["-shared", "-fPIC", "-Wall", "-Werror", "-o", library, source])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using Process gcc = Process.Start(start) ?? throw new InvalidOperationException("gcc could not be started");
        string errors = gcc.StandardError.ReadToEnd();
        gcc.WaitForExit();
        if (gcc.ExitCode != 0)
        {
            throw new InvalidOperationException($"gcc failed to build the stand-in NVML ({gcc.ExitCode}): {errors}");
        }

        return library;
    }
}

/// <summary>Tests that drive the stand-in NVML library, whose state is process-wide, run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NvmlStandIn
{
    public const string Name = "NVML stand-in";
}
