using System.Globalization;
using System.Security.Cryptography;

namespace Maran.Instrument.Audit;

/// <summary>
/// The chaining rule of the audit trail: every line carries in <c>prev</c> the SHA-256 (lowercase hex) of the bytes of
/// the line before it (UTF-8, without its line feed), the first line ever carries <see cref="Genesis"/>, and
/// <c>seq</c> counts the lines from 0 across files. Changing, removing or moving a line breaks the link after it.
/// </summary>
internal static class AuditChain
{
    /// <summary>The <c>prev</c> of the first record of a trail: 64 zeros.</summary>
    internal static readonly string Genesis = new('0', 64);

    /// <summary>The file name pattern: <c>audit-YYYYMMDD.jsonl</c>, one file per UTC day.</summary>
    internal const string FilePrefix = "audit-";

    /// <summary>The audit files' extension.</summary>
    internal const string FileExtension = ".jsonl";

    /// <summary>The hash a following line links to.</summary>
    internal static string Hash(ReadOnlySpan<byte> line)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(line, hash);
#if NET9_0_OR_GREATER
        return Convert.ToHexStringLower(hash);
#else
        return Convert.ToHexString(hash).ToLowerInvariant();
#endif
    }

    /// <summary>The file of <paramref name="day"/> (UTC).</summary>
    internal static string FileName(DateTime day) => FilePrefix + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + FileExtension;
}
