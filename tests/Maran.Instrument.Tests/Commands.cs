using System.Diagnostics;

namespace Maran.Instrument.Tests;

/// <summary>Runs the system commands some tests need (mount, umount, id) and reads what they print.</summary>
internal static class Commands
{
    /// <summary>Runs <paramref name="program"/> and returns its exit code and standard error.</summary>
    public static (int Code, string Error) TryRun(string program, params string[] arguments)
    {
        (int code, _, string error) = Execute(program, arguments);
        return (code, error.Trim());
    }

    /// <summary>Runs <paramref name="program"/>, fails the test unless it exits with 0, and returns its output.</summary>
    public static string Run(string program, params string[] arguments)
    {
        (int code, string output, string error) = Execute(program, arguments);
        Assert.True(code == 0, $"{program} {string.Join(' ', arguments)} failed ({code}): {error}");
        return output;
    }

    /// <summary>Whether the tests run as root, where permissions keep nothing out but mounts are possible.</summary>
    public static bool IsRoot => Environment.UserName == "root" || Run("id", "-u").Trim() == "0";

    private static (int Code, string Output, string Error) Execute(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
