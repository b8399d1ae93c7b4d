using Maran.Instrument.Tool.Audit;

namespace Maran.Instrument.Tool.Commands;

/// <summary>
/// <c>maran audit verify FILE...</c>: checks an audit trail's hash chain across its daily files (sorted by name, so
/// <c>logs/audit-*.jsonl</c> works); exit 0 with the record count when intact, 1 naming the first line that breaks it.
/// </summary>
internal sealed class AuditVerifyCommand : IToolCommand
{
    public string Group => "audit";

    public string Name => "verify";

    public string Arguments => "[--continues] FILE...";

    public string Summary => "check the hash chain of audit-YYYYMMDD.jsonl files";

    public int Run(IReadOnlyList<string> arguments, ToolContext context)
    {
        bool continues = arguments.Contains("--continues");
        string[] files = [.. arguments.Where(static a => a != "--continues")];
        if (files.Length == 0)
        {
            return context.Fail(ExitCodes.BadInput, "audit verify needs at least one audit file (logs/audit-*.jsonl)");
        }

        if (files.FirstOrDefault(static f => !File.Exists(f)) is { } missing)
        {
            return context.Fail(ExitCodes.BadInput, $"no such file: {missing}");
        }

        string[] ordered = [.. files.OrderBy(static f => Path.GetFileName(f), StringComparer.Ordinal)];
        AuditVerification result = AuditChainVerifier.Verify(ordered, continues);
        if (!result.IsIntact)
        {
            context.Error.WriteLine($"maran: the audit chain is broken at {result.Problem}");
            context.Error.WriteLine($"maran: {result.Records} records before it are intact");
            return ExitCodes.CheckFailed;
        }

        context.Out.WriteLine($"intact: {result.Records} records in {ordered.Length} file(s), from seq {result.FirstSequence}; last hash {result.LastHash}");
        return ExitCodes.Success;
    }
}
