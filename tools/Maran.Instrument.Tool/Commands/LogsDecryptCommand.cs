using Maran.Instrument.Configuration;
using Maran.Instrument.Security;

namespace Maran.Instrument.Tool.Commands;

/// <summary>
/// <c>maran logs decrypt FILE</c>: writes the JSON lines of an encrypted log file to standard output, the key from
/// <c>MARAN_ENCRYPTION_KEY</c> (or <c>--key-file</c>). Lines written before encryption was on pass through as they are.
/// </summary>
internal sealed class LogsDecryptCommand : IToolCommand
{
    public string Group => "logs";

    public string Name => "decrypt";

    public string Arguments => "[--key-file PATH] FILE";

    public string Summary => "print an encrypted log file's JSON lines (key: MARAN_ENCRYPTION_KEY)";

    public int Run(IReadOnlyList<string> arguments, ToolContext context)
    {
        string? keyFile = null;
        var files = new List<string>();
        for (int i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] == "--key-file" && i + 1 < arguments.Count)
            {
                keyFile = arguments[++i];
            }
            else
            {
                files.Add(arguments[i]);
            }
        }

        if (files.Count != 1)
        {
            return context.Fail(ExitCodes.BadInput, "logs decrypt needs one log file (logs/maran-YYYYMMDD.jsonl)");
        }

        string file = files[0];
        if (!File.Exists(file))
        {
            return context.Fail(ExitCodes.BadInput, $"no such file: {file}");
        }

        var settings = new ProductionSecuritySettings { EncryptLogs = true, KeyFile = keyFile };
        if (!LogCipher.TryLoad(settings, context.Variable, out LogCipher? cipher, out string? problem, out _))
        {
            return context.Fail(ExitCodes.BadInput, problem!.Replace("encrypt_logs is on but there is no key", "no key", StringComparison.Ordinal));
        }

        int number = 0;
        foreach (string line in File.ReadLines(file))
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            if (!LogCipher.IsEncrypted(line))
            {
                context.Out.WriteLine(line);
            }
            else if (cipher!.TryDecrypt(line, out string plain))
            {
                context.Out.WriteLine(plain);
            }
            else
            {
                return context.Fail(ExitCodes.BadInput, $"{Path.GetFileName(file)} line {number} cannot be decrypted with the key from {cipher.Source}: a different key, or a damaged record");
            }
        }

        return ExitCodes.Success;
    }
}
