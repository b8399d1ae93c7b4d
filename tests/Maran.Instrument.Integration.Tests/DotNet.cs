using System.Diagnostics;
using System.Text;

namespace Maran.Instrument.Integration.Tests;

/// <summary>Runs the dotnet CLI (or a built program) and captures its output; a bounded wait, never a hang.</summary>
internal static class DotNet
{
    public sealed record Result(int ExitCode, string Output)
    {
        public Result EnsureSuccess(string what) =>
            ExitCode == 0 ? this : throw new Xunit.Sdk.XunitException($"{what} failed with exit code {ExitCode}:\n{Output}");
    }

    public static Result Run(string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        Exec("dotnet", workingDirectory, timeout, arguments);

    public static Result Exec(string fileName, string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A nested build must not inherit the test host's MSBuild node settings.
        start.Environment["MSBUILDNOINPROCNODE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in {timeout}:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return new Result(process.ExitCode, output.ToString());
        }
    }
}
