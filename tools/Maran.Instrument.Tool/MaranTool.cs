using System.Collections;
using Maran.Instrument.Tool.Commands;

namespace Maran.Instrument.Tool;

/// <summary>
/// The <c>maran</c> command line: finds the command named by the first two words and runs it with the rest. A new
/// command is one <see cref="IToolCommand"/> in Commands/ added to <see cref="Commands"/>.
/// </summary>
internal static class MaranTool
{
    /// <summary>Every command, in the order the help lists them.</summary>
    internal static IReadOnlyList<IToolCommand> Commands { get; } =
    [
        new AuditVerifyCommand(),
        new LogsDecryptCommand(),
        new DbCheckCommand(),
        new ConfigCheckCommand(),
        new PrometheusRulesCommand(),
        new DashboardCommand(),
    ];

    /// <summary>Runs the command <paramref name="args"/> name; returns the exit code.</summary>
    internal static int Run(string[] args, TextWriter output, TextWriter error, IDictionary environment)
    {
        var context = new ToolContext(output, error, environment);
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            WriteHelp(args.Length == 0 ? error : output);
            return args.Length == 0 ? ExitCodes.BadInput : ExitCodes.Success;
        }

        // A one-word command (maran dashboard) has no name: its arguments start after the first word.
        IToolCommand? command = Commands.FirstOrDefault(c => c.Name.Length == 0 && c.Group == args[0])
            ?? (args.Length >= 2 ? Commands.FirstOrDefault(c => c.Group == args[0] && c.Name == args[1]) : null);
        if (command is null)
        {
            context.Fail(ExitCodes.BadInput, $"unknown command '{string.Join(' ', args.Take(2))}'");
            WriteHelp(error);
            return ExitCodes.BadInput;
        }

        string[] rest = command.Name.Length == 0 ? args[1..] : args[2..];
        if (rest is ["-h" or "--help"])
        {
            output.WriteLine($"usage: maran {Words(command)} {command.Arguments}");
            output.WriteLine(command.Summary);
            return ExitCodes.Success;
        }

        try
        {
            return command.Run(rest, context);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return context.Fail(ExitCodes.BadInput, ex.Message);
        }
    }

    private static void WriteHelp(TextWriter to)
    {
        to.WriteLine("usage: maran <command> [arguments]");
        to.WriteLine();
        foreach (IToolCommand command in Commands)
        {
            to.WriteLine($"  {Words(command)} {command.Arguments}".PadRight(40) + command.Summary);
        }
    }

    private static string Words(IToolCommand command) => command.Name.Length == 0 ? command.Group : $"{command.Group} {command.Name}";
}
