using System.Security.Cryptography;
using System.Text;
using Maran.Instrument.Configuration;

namespace Maran.Instrument.Security;

/// <summary>
/// Encrypts log records at rest with AES-256-GCM: each record gets a fresh random 12-byte nonce and is written as
/// <c>enc1:</c> followed by base64 of nonce, ciphertext and 16-byte tag. A record that was tampered with, or is read
/// with another key, fails to decrypt instead of giving wrong text.
/// </summary>
internal sealed class LogCipher
{
    /// <summary>What every encrypted record starts with: the format's version.</summary>
    internal const string Prefix = "enc1:";

    /// <summary>Bytes of an AES-256 key.</summary>
    internal const int KeySize = 32;

    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] _key;

    private LogCipher(byte[] key) => _key = key;

    /// <summary>Where the key came from, for messages: the variable or the key file.</summary>
    internal string Source { get; private init; } = string.Empty;

    /// <summary>A cipher from a key given as base64 of <see cref="KeySize"/> bytes; false with the reason when it is not one.</summary>
    internal static bool TryFromBase64(string text, string source, out LogCipher? cipher, out string? problem)
    {
        cipher = null;
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            problem = $"{source} is not base64 (make a key with: openssl rand -base64 32)";
            return false;
        }

        if (key.Length != KeySize)
        {
            problem = $"{source} holds {key.Length} bytes; an AES-256 key is {KeySize} bytes (openssl rand -base64 32)";
            return false;
        }

        problem = null;
        cipher = new LogCipher(key) { Source = source };
        return true;
    }

    /// <summary>
    /// The key of <paramref name="settings"/>: <see cref="ProductionSecuritySettings.KeyVariable"/> when set, else the
    /// key file; false with the reason when neither gives a usable key.
    /// </summary>
    internal static bool TryLoad(ProductionSecuritySettings settings, Func<string, string?> variable, out LogCipher? cipher, out string? problem, out string origin)
    {
        string name = ProductionSecuritySettings.KeyVariable;
        if (variable(name) is { Length: > 0 } fromVariable)
        {
            origin = $"environment variable {name}";
            return TryFromBase64(fromVariable, origin, out cipher, out problem);
        }

        cipher = null;
        if (settings.KeyFile is not { Length: > 0 } file)
        {
            origin = "production.security";
            problem = $"encrypt_logs is on but there is no key: set {name} (base64 of {KeySize} bytes) or production.security.key_file";
            return false;
        }

        string path = Path.GetFullPath(file);
        origin = $"key file {path}";
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"the key file {path} cannot be read: {ex.Message.TrimEnd('.')}";
            return false;
        }

        return TryFromBase64(text, origin, out cipher, out problem);
    }

    /// <summary>Whether <paramref name="text"/> is an encrypted record.</summary>
    internal static bool IsEncrypted(string? text) => text is not null && text.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>One encrypted record for <paramref name="plaintext"/>, with a nonce of its own.</summary>
    internal string Encrypt(string plaintext)
    {
        byte[] clear = Encoding.UTF8.GetBytes(plaintext);
        byte[] sealedRecord = new byte[NonceSize + clear.Length + TagSize];
        Span<byte> nonce = sealedRecord.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(_key, TagSize))
        {
            aes.Encrypt(nonce, clear, sealedRecord.AsSpan(NonceSize, clear.Length), sealedRecord.AsSpan(NonceSize + clear.Length, TagSize));
        }

        CryptographicOperations.ZeroMemory(clear);
        return Prefix + Convert.ToBase64String(sealedRecord);
    }

    /// <summary>
    /// The plaintext of an encrypted record; false when <paramref name="record"/> is not one, is damaged, or was
    /// encrypted with another key.
    /// </summary>
    internal bool TryDecrypt(string record, out string plaintext)
    {
        plaintext = string.Empty;
        if (!IsEncrypted(record))
        {
            return false;
        }

        byte[] sealedRecord;
        try
        {
            sealedRecord = Convert.FromBase64String(record.AsSpan(Prefix.Length).Trim().ToString());
        }
        catch (FormatException)
        {
            return false;
        }

        if (sealedRecord.Length < NonceSize + TagSize)
        {
            return false;
        }

        int length = sealedRecord.Length - NonceSize - TagSize;
        byte[] clear = new byte[length];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(sealedRecord.AsSpan(0, NonceSize), sealedRecord.AsSpan(NonceSize, length), sealedRecord.AsSpan(NonceSize + length, TagSize), clear);
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }

        plaintext = Encoding.UTF8.GetString(clear);
        return true;
    }

    /// <summary>The text of a stored value: decrypted when it is a record this key opens, as stored otherwise.</summary>
    internal string Open(string stored) => IsEncrypted(stored) && TryDecrypt(stored, out string plain) ? plain : stored;
}
