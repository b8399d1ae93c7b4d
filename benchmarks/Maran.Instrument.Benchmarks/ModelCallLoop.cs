using System.Diagnostics;
using System.Globalization;
using Maran.Instrument.Benchmarks.Suites;

namespace Maran.Instrument.Benchmarks;

/// <summary>
/// Calls one case of <see cref="ModelCallBenchmarks"/> in a loop for a given time and prints the mean time per call:
/// a long-running process for a sampling profiler (perf, dotnet-trace), with the benchmark's own set-up.
/// </summary>
internal static class ModelCallLoop
{
    /// <summary>Runs the loop: <c>LISTENING SECONDS [maran|otel]</c>; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        if (args.Length < 2 || !bool.TryParse(args[0], out bool listening)
            || !double.TryParse(args[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || !(seconds > 0))
        {
            output.WriteLine("usage: model-call-loop LISTENING(true|false) SECONDS [maran|otel]");
            return 2;
        }

        bool pipeline = args.Length > 2 && args[2] == "otel";
        var benchmarks = new ModelCallBenchmarks { Listening = listening };
        benchmarks.Setup();
        try
        {
            long calls = 0;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed.TotalSeconds < seconds)
            {
                for (int i = 0; i < 1000; i++)
                {
                    _ = pipeline ? benchmarks.UseOpenTelemetry() : benchmarks.Maran();
                }

                calls += 1000;
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(pipeline ? "UseOpenTelemetry" : "Maran")}, listening {listening}: {watch.Elapsed.TotalNanoseconds / calls:F1} ns a call over {calls} calls"));
            return 0;
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }
}
