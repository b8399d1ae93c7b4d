using Maran.Instrument.Security;
using Serilog.Events;
using Serilog.Formatting;

namespace Maran.Instrument;

/// <summary>
/// Writes each event as one encrypted line: the JSON line <paramref name="inner"/> writes, sealed by
/// <paramref name="cipher"/> (<c>enc1:</c> + base64 of nonce, ciphertext and tag). No part of the event reaches the
/// output in plain text; <c>maran logs decrypt</c> turns a file back into JSON lines.
/// </summary>
internal sealed class EncryptingFormatter(ITextFormatter inner, LogCipher cipher) : ITextFormatter
{
    public void Format(LogEvent logEvent, TextWriter output)
    {
        using var line = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        inner.Format(logEvent, line);
        output.Write(cipher.Encrypt(line.ToString().TrimEnd('\r', '\n')));
        output.Write('\n');
    }
}
