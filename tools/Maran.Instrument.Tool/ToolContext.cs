using System.Collections;

namespace Maran.Instrument.Tool;

/// <summary>What a command runs with: its output, its error output and the environment it reads variables from.</summary>
/// <param name="Out">Standard output: the command's result.</param>
/// <param name="Error">Standard error: problems and notes.</param>
/// <param name="Environment">The environment variables.</param>
internal sealed record ToolContext(TextWriter Out, TextWriter Error, IDictionary Environment)
{
    /// <summary>The value of the variable <paramref name="name"/>, or null when it is not set.</summary>
    public string? Variable(string name) => Environment[name]?.ToString();

    /// <summary>Writes <paramref name="message"/> to standard error, prefixed with the tool's name, and returns <paramref name="exitCode"/>.</summary>
    public int Fail(int exitCode, string message)
    {
        Error.WriteLine($"maran: {message}");
        return exitCode;
    }
}
