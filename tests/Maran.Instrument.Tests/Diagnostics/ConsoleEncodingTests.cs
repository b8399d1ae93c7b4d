using System.Diagnostics;
using System.Text;

namespace Maran.Instrument.Tests.Diagnostics;

/// <summary>
/// A program that sets <see cref="Console.OutputEncoding"/> while monitoring warns on other threads: the setter holds the
/// console's lock while it waits for the standard-error writer's, and a warning written through <see cref="Console.Error"/>
/// takes them the other way round, so both hung. The child is the storage tests' programme.
/// </summary>
public sealed class ConsoleEncodingTests
{
    private const int Rounds = 300_000;
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_program_that_sets_the_console_encoding_in_a_loop_while_other_threads_warn_exits_instead_of_hanging()
    {
        string folder = Directory.CreateTempSubdirectory("maran-console-encoding-").FullName;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Maran.Instrument.CrashWriter.dll"));
        start.ArgumentList.Add(folder);
        start.ArgumentList.Add("console-encoding");
        start.ArgumentList.Add(Rounds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var errors = new StringBuilder();
        try
        {
            using Process process = Process.Start(start)!;
            process.ErrorDataReceived += (_, e) =>
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            };
            process.BeginErrorReadLine();
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            bool exited;
            using (var bound = new CancellationTokenSource(Bound))
            {
                try
                {
                    await process.WaitForExitAsync(bound.Token);
                    exited = true;
                }
                catch (OperationCanceledException)
                {
                    exited = false;
                    process.Kill();
                    await process.WaitForExitAsync();
                }
            }

            Assert.True(exited, $"the program was still running after {Bound.TotalSeconds} s");
            Assert.Equal(0, process.ExitCode);
            Assert.Contains($"done {Rounds}", await output, StringComparison.Ordinal);
            lock (errors)
            {
                Assert.Contains(" while the console encoding changes", errors.ToString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
