using System.Runtime.InteropServices;
using System.Text;
using Maran.Instrument.Interop;

namespace Maran.Instrument.Configuration;

/// <summary>
/// Reads a configuration file whole, refusing at once what is not a regular file (a device such as
/// <c>/dev/zero</c>, a FIFO, a directory) and a file over <see cref="ConfigurationLimits.MaxFileBytes"/>, so
/// reading can neither hang nor fill memory.
/// </summary>
internal static partial class ConfigurationFile
{
    /// <summary>
    /// The text of <paramref name="path"/>, or null when it does not exist.
    /// </summary>
    /// <exception cref="MonitoringConfigurationException">The file cannot be read or breaks a limit; the message names it.</exception>
    public static string? Read(string path)
    {
        if (Directory.Exists(path))
        {
            throw Refused(path, "is a directory, not a configuration file");
        }

        if (!File.Exists(path))
        {
            return null;
        }

        if (FileType(path) is { } kind)
        {
            throw Refused(path, $"is not a regular file ({kind}); the configuration must be a regular file");
        }

        int limit = ConfigurationLimits.MaxFileBytes;
        try
        {
            long length = new FileInfo(path).Length;
            if (length > limit)
            {
                throw TooLarge(path, length, limit);
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
            if (!stream.CanSeek)
            {
                throw Refused(path, "is not a regular file (a pipe or device); the configuration must be a regular file");
            }

            // Read at most one byte past the limit, so a file that grows while it is read is refused too.
            var content = new MemoryStream((int)Math.Min(length, limit));
            byte[] chunk = new byte[81_920];
            int n;
            while ((n = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, limit + 1L - content.Length))) > 0)
            {
                content.Write(chunk, 0, n);
            }

            if (content.Length > limit)
            {
                throw TooLarge(path, null, limit);
            }

            content.Position = 0;
            using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Refused(path, $"cannot be read: {ex.Message}");
        }
    }

    private static MonitoringConfigurationException Refused(string path, string problem) =>
        new([new ConfigurationError("(file)", null, path, $"the configuration file {problem}")]);

    private static MonitoringConfigurationException TooLarge(string path, long? bytes, int limit) =>
        new([new ConfigurationError("(file)", null, path,
            $"the configuration file {(bytes is { } known ? $"is {known} bytes" : "grew while it was read")}, over the limit of {limit} bytes (ConfigurationLimits.MaxFileBytes)")]);

    /// <summary>What kind of non-regular file <paramref name="path"/> is (after following links), or null for a regular file or when it cannot be told.</summary>
    private static string? FileType(string path)
    {
        if (!OperatingSystem.IsLinux() || !NativeLibraries.Registered)
        {
            return null;
        }

        try
        {
            return StatxType(path);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // A C library without statx (musl before 1.2.5): the bounded read below still stops a device.
            return null;
        }
    }

    private static unsafe string? StatxType(string path)
    {
        const int AtFdCwd = -100;
        const uint StatxType = 0x1;
        const int ModeOffset = 28;
        byte* buffer = stackalloc byte[256];
        if (statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
        {
            return null;
        }

        int type = *(ushort*)(buffer + ModeOffset) & 0xF000;
        return type switch
        {
            0x8000 => null,
            0x1000 => "a FIFO",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0xC000 => "a socket",
            0x4000 => "a directory",
            _ => "not a plain file",
        };
    }

    // struct statx has one layout on every Linux architecture: stx_mode is the u16 at offset 28.
    [LibraryImport(NativeLibraries.LibC, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statx(int directory, string path, int flags, uint mask, byte* buffer);
}
