namespace Maran.Instrument.Alerts;

/// <summary>
/// Appends one JSON line per alert to a file, rotating it by size: <c>alerts.jsonl</c> becomes
/// <c>alerts.1.jsonl</c>, the older ones shift up, and the oldest beyond <c>max_files</c> is deleted.
/// </summary>
internal sealed class FileAlertChannel(string path, long maxBytes, int maxFiles) : IAlertChannel
{
    public string Name => "file";

    public string Path { get; } = path;

    public AlertDeliveryPolicy Policy { get; } = new(TimeSpan.FromSeconds(10), 2, TimeSpan.FromMilliseconds(200));

    public TimeSpan? ResendInterval => null;

    public IReadOnlyList<string> Secrets => [];

    public async Task DeliverAsync(AlertNotification notification, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        foreach (Alert alert in notification.Alerts)
        {
            byte[] line = AlertPayloads.FileLine(notification, alert);
            var file = new FileInfo(Path);
            if (file.Exists && file.Length > 0 && file.Length + line.Length > maxBytes)
            {
                Rotate();
            }

            await using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            await stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The name of the <paramref name="index"/>th rotated file: <c>alerts.3.jsonl</c>.</summary>
    internal string RotatedPath(int index) =>
        System.IO.Path.Combine(
            System.IO.Path.GetDirectoryName(Path)!,
            $"{System.IO.Path.GetFileNameWithoutExtension(Path)}.{index}{System.IO.Path.GetExtension(Path)}");

    public void Dispose()
    {
    }

    private void Rotate()
    {
        if (maxFiles == 0)
        {
            File.Delete(Path);
            return;
        }

        File.Delete(RotatedPath(maxFiles));
        for (int i = maxFiles - 1; i >= 1; i--)
        {
            if (File.Exists(RotatedPath(i)))
            {
                File.Move(RotatedPath(i), RotatedPath(i + 1));
            }
        }

        File.Move(Path, RotatedPath(1));
    }
}
