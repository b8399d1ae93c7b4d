using System.Reflection;
using System.Runtime.InteropServices;
using Maran.Instrument.Diagnostics;

namespace Maran.Instrument.Interop;

/// <summary>
/// The one native-library resolver of this assembly (the runtime allows one per assembly): maps the logical
/// names the <c>[LibraryImport]</c> declarations use to the libraries this machine has. NVML is bound to the
/// library <see cref="TryLoadNvml"/> loaded, so a configured path, <c>MARAN_NVML_LIBRARY</c> or a stand-in
/// library goes through the same imports as the driver's.
/// </summary>
internal static class NativeLibraries
{
    /// <summary>Logical name of NVML in the imports; resolved to the library <see cref="TryLoadNvml"/> loaded.</summary>
    internal const string Nvml = "maran-nvml";

    /// <summary>Logical name of the C library in the imports; <c>libc.so.6</c> on Linux.</summary>
    internal const string LibC = "maran-libc";

    private static readonly object s_gate = new();
    private static readonly bool s_registered = Register();
    private static IntPtr s_nvml;
    private static string? s_nvmlSource;
    private static IntPtr s_libc;

    /// <summary>Whether the resolver is in place; false if something else claimed this assembly's resolver first.</summary>
    internal static bool Registered => s_registered;

    /// <summary>Where NVML was loaded from, or null before it is.</summary>
    internal static string? NvmlSource
    {
        get
        {
            lock (s_gate)
            {
                return s_nvmlSource;
            }
        }
    }

    /// <summary>
    /// Loads NVML from <paramref name="configuredPath"/> when given, else from the driver's usual name, and binds
    /// the imports to the first library loaded (for the life of the process). Returns false with the reason in
    /// words when there is no library to load; never throws.
    /// </summary>
    internal static bool TryLoadNvml(string? configuredPath, out string source, out string problem)
    {
        source = string.Empty;
        problem = string.Empty;
        lock (s_gate)
        {
            if (!s_registered)
            {
                problem = "the native library resolver of Maran.Instrument was taken by other code, so NVML cannot be bound";
                return false;
            }

            string[] candidates = configuredPath is { Length: > 0 } ? [configuredPath] : DefaultNvmlNames();
            if (candidates.Length == 0)
            {
                problem = $"NVML does not exist on {RuntimeInformation.OSDescription}";
                return false;
            }

            var failures = new List<string>();
            foreach (string candidate in candidates)
            {
                try
                {
                    IntPtr handle = NativeLibrary.Load(candidate);
                    if (s_nvml == IntPtr.Zero)
                    {
                        s_nvml = handle;
                        s_nvmlSource = candidate;
                    }
                    else if (handle != s_nvml)
                    {
                        // The imports stay bound to the first library for the life of the process.
                        NativeLibrary.Free(handle);
                        source = $"{s_nvmlSource} (bound earlier in this process; {candidate} is not used)";
                        return true;
                    }

                    source = candidate;
                    return true;
                }
                catch (DllNotFoundException ex)
                {
                    failures.Add(LoaderReason(ex.Message));
                }
                catch (BadImageFormatException ex)
                {
                    failures.Add($"{candidate} is not a library for this process: {ex.Message}");
                }
            }

            problem = $"{string.Join(" or ", candidates)} could not be loaded ({string.Join("; ", failures)})";
            return false;
        }
    }

    // The runtime's message is advice on diagnosing loads followed by the loader's own reason; keep the reason.
    private static string LoaderReason(string message)
    {
        string[] lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length > 1 ? string.Join("; ", lines.Skip(1)) : message.Trim();
    }

    private static string[] DefaultNvmlNames()
    {
        if (OperatingSystem.IsLinux())
        {
            return ["libnvidia-ml.so.1"];
        }

        if (OperatingSystem.IsWindows())
        {
            string programFiles = Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles);
            return ["nvml.dll", Path.Combine(programFiles, "NVIDIA Corporation", "NVSMI", "nvml.dll")];
        }

        return [];
    }

    private static bool Register()
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);
            return true;
        }
        catch (InvalidOperationException ex)
        {
            MonitoringDiagnostics.InternalError("native library resolver", ex);
            return false;
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        switch (libraryName)
        {
            case Nvml:
                lock (s_gate)
                {
                    return s_nvml;
                }

            case LibC:
                lock (s_gate)
                {
                    if (s_libc == IntPtr.Zero)
                    {
                        string name = OperatingSystem.IsLinux() ? "libc.so.6" : OperatingSystem.IsMacOS() ? "libSystem.dylib" : "libc";
                        NativeLibrary.TryLoad(name, out s_libc);
                    }

                    return s_libc;
                }

            default:
                return IntPtr.Zero;
        }
    }
}
