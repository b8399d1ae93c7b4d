using System.Text.Json;
using Maran.Instrument.Audit;

namespace Maran.Instrument.Tool.Audit;

/// <summary>The outcome of checking an audit trail.</summary>
/// <param name="Records">Records whose links held, up to the first break.</param>
/// <param name="Problem">Where and how the chain breaks (file and line), or null when it is intact.</param>
/// <param name="FirstSequence">The <c>seq</c> of the first record read.</param>
/// <param name="LastHash">The hash of the last intact line: compare it with a copy kept elsewhere to detect a cut end.</param>
internal sealed record AuditVerification(long Records, string? Problem, long FirstSequence, string LastHash)
{
    /// <summary>Whether every link held.</summary>
    public bool IsIntact => Problem is null;
}

/// <summary>
/// Checks the chaining rule of the audit trail line by line, across files in order: each line is a JSON object whose
/// <c>prev</c> is the SHA-256 of the line before it and whose <c>seq</c> follows that line's; the first line of a
/// trail has <c>seq</c> 0 and a <c>prev</c> of 64 zeros, unless the check is told the files continue an older part.
/// </summary>
internal static class AuditChainVerifier
{
    /// <summary>Checks <paramref name="files"/> as one chain, in the order given.</summary>
    /// <param name="files">The files, oldest first.</param>
    /// <param name="continues">Whether the first file may continue a trail whose earlier files are not given.</param>
    internal static AuditVerification Verify(IReadOnlyList<string> files, bool continues)
    {
        string? previousHash = null;
        string previousWhere = string.Empty;
        long previousSequence = -1;
        long records = 0;
        long firstSequence = -1;
        foreach (string file in files)
        {
            byte[] content = File.ReadAllBytes(file);
            string name = Path.GetFileName(file);
            int start = 0;
            int lineNumber = 0;
            while (start < content.Length)
            {
                int end = Array.IndexOf(content, (byte)'\n', start);
                bool terminated = end >= 0;
                end = terminated ? end : content.Length;
                lineNumber++;
                ReadOnlySpan<byte> line = content.AsSpan(start, end - start);
                string where = $"{name} line {lineNumber}";
                start = end + 1;

                string? problem = Check(line, where, terminated, previousHash, previousWhere, previousSequence, continues, out long sequence);
                if (problem is not null)
                {
                    return new AuditVerification(records, problem, firstSequence, previousHash ?? AuditChain.Genesis);
                }

                if (firstSequence < 0)
                {
                    firstSequence = sequence;
                }

                previousHash = AuditChain.Hash(line);
                previousWhere = where;
                previousSequence = sequence;
                records++;
            }
        }

        return new AuditVerification(records, null, Math.Max(0, firstSequence), previousHash ?? AuditChain.Genesis);
    }

    private static string? Check(ReadOnlySpan<byte> line, string where, bool terminated, string? previousHash, string previousWhere, long previousSequence, bool continues, out long sequence)
    {
        sequence = -1;
        if (line.IsEmpty)
        {
            return $"{where}: an empty line (every line of the trail is a record)";
        }

        if (!terminated)
        {
            return $"{where}: the last line has no line feed: it was cut short or added by hand";
        }

        string prev;
        try
        {
            using JsonDocument document = JsonDocument.Parse(line.ToArray());
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("seq", out JsonElement seq) || !seq.TryGetInt64(out sequence)
                || !root.TryGetProperty("prev", out JsonElement link) || link.ValueKind != JsonValueKind.String)
            {
                return $"{where}: not an audit record (a JSON object with seq and prev)";
            }

            prev = link.GetString()!;
        }
        catch (JsonException ex)
        {
            return $"{where}: not valid JSON ({ex.Message})";
        }

        if (previousHash is null)
        {
            if (sequence == 0 && prev != AuditChain.Genesis)
            {
                return $"{where}: the first record (seq 0) must link to {AuditChain.Genesis}";
            }

            if (sequence != 0 && !continues)
            {
                return $"{where}: the trail starts at seq {sequence}, not 0: its first records or files are missing (give every file from the first, or --continues to check a later part)";
            }

            return null;
        }

        if (!string.Equals(prev, previousHash, StringComparison.Ordinal))
        {
            return $"{where}: prev does not match the hash of the line before it ({previousWhere}): that line was changed, or lines were removed, added or moved here";
        }

        if (sequence != previousSequence + 1)
        {
            return $"{where}: seq {sequence} follows seq {previousSequence}: records were removed or moved";
        }

        return null;
    }
}
