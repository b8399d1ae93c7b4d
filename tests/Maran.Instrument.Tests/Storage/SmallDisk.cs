using System.Runtime.Versioning;

namespace Maran.Instrument.Tests.Storage;

/// <summary>
/// A file system of a few megabytes (tmpfs) mounted on a folder until disposed, which a test can fill to the last
/// byte, as a real disk fills up. Mounting needs root; elsewhere the test is skipped, saying why.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed class SmallDisk : IDisposable
{
    private readonly string _path;

    public SmallDisk(string path, int megabytes)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "a small disk is a Linux tmpfs mount");
        Skip.IfNot(Commands.IsRoot, "only root can mount the small file system a full disk is made of");
        Directory.CreateDirectory(path);
        (int code, string error) = Commands.TryRun("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        Skip.If(code != 0, $"running as root without permission to mount, so no disk can be filled here: {error}");
        _path = path;
    }

    /// <summary>Writes <paramref name="file"/> until the disk refuses another byte.</summary>
    public void Fill(string file)
    {
        var block = new byte[64 * 1024];
        using var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        try
        {
            while (true)
            {
                stream.Write(block);
            }
        }
        catch (IOException)
        {
        }

        // Whatever a 64 KiB block did not fit into, byte by byte.
        try
        {
            while (true)
            {
                stream.WriteByte(0);
            }
        }
        catch (IOException)
        {
        }
    }

    public void Dispose() => Commands.Run("umount", "--lazy", _path);
}
