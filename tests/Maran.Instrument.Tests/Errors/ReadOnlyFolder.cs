using System.Runtime.Versioning;

namespace Maran.Instrument.Tests.Errors;

/// <summary>
/// Makes a folder read-only until disposed. Root ignores file permissions, so as root the folder is bind-mounted
/// read-only onto itself (the kernel then refuses every write, as on read-only media); otherwise its permission bits
/// are cleared.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed class ReadOnlyFolder : IDisposable
{
    private readonly string _path;
    private readonly bool _mounted;

    public ReadOnlyFolder(string path)
    {
        _path = path;
        if (Commands.IsRoot)
        {
            // Root cannot be kept out by permissions; where it may not mount either, nothing can make a folder read-only.
            (int code, string error) = Commands.TryRun("mount", "--bind", path, path);
            Skip.If(code != 0, $"running as root without permission to mount, so no folder can be made read-only here: {error}");
            _mounted = true;
            Commands.Run("mount", "-o", "remount,ro,bind", path);
        }
        else
        {
            foreach (string file in Directory.GetFiles(path))
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }

        string probe = Path.Combine(path, "probe");
        Assert.ThrowsAny<Exception>(() => File.WriteAllText(probe, "must not be writable"));
    }

    public void Dispose()
    {
        if (_mounted)
        {
            Commands.Run("umount", _path);
            return;
        }

        File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (string file in Directory.GetFiles(_path))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
