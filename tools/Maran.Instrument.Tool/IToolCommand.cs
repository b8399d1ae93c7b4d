namespace Maran.Instrument.Tool;

/// <summary>
/// One command of the tool, named by two words (<c>audit verify</c>) or, with an empty <see cref="Name"/>, by one
/// (<c>dashboard</c>); each lives in a file of its own under Commands/.
/// </summary>
internal interface IToolCommand
{
    /// <summary>The first word: the subject (<c>audit</c>, <c>logs</c>, <c>db</c>, <c>config</c>).</summary>
    string Group { get; }

    /// <summary>The second word: what is done (<c>verify</c>, <c>decrypt</c>, <c>check</c>); empty for a one-word command.</summary>
    string Name { get; }

    /// <summary>The arguments after the two words, for the help text (<c>FILE...</c>).</summary>
    string Arguments { get; }

    /// <summary>One line saying what the command does.</summary>
    string Summary { get; }

    /// <summary>Runs the command on <paramref name="arguments"/>; returns the exit code (<see cref="ExitCodes"/>).</summary>
    int Run(IReadOnlyList<string> arguments, ToolContext context);
}
