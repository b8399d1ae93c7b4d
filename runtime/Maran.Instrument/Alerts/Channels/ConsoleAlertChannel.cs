using System.Text;
using Maran.Instrument.Configuration;

namespace Maran.Instrument.Alerts;

/// <summary>Prints one line per alert to standard output (or the given writer), coloured by severity when asked.</summary>
internal sealed class ConsoleAlertChannel(TextWriter output, bool color) : IAlertChannel
{
    private const string Reset = "\u001b[0m";

    public string Name => "console";

    public AlertDeliveryPolicy Policy { get; } = new(TimeSpan.FromSeconds(5), 0, TimeSpan.Zero);

    public TimeSpan? ResendInterval => null;

    public IReadOnlyList<string> Secrets => [];

    /// <summary>The channel for <paramref name="settings"/>: standard output, coloured in a terminal unless <c>NO_COLOR</c> is set.</summary>
    public static ConsoleAlertChannel Create(ConsoleChannelSettings settings) =>
        new(Console.Out, settings.Color switch
        {
            ConsoleColorMode.Always => true,
            ConsoleColorMode.Never => false,
            _ => !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")),
        });

    public Task DeliverAsync(AlertNotification notification, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (Alert alert in notification.Alerts)
        {
            bool firing = alert.State == AlertState.Firing;
            string status = firing ? (notification.Kind == AlertNotificationKind.Repeat ? "STILL FIRING" : "FIRING") : "RESOLVED";
            string severity = AlertRuleValidator.SeverityName(alert.Severity);
            if (color)
            {
                text.Append(firing ? ColorOf(alert.Severity) : "\u001b[32m");
            }

            text.Append("[maran alert] ").Append(AlertPayloads.Time(notification.At)).Append(' ')
                .Append(status).Append(' ').Append(severity).Append(' ').Append(alert.RuleName)
                .Append(" value=").Append(AlertTemplate.FormatNumber(alert.Value));
            if (alert.Annotations.TryGetValue("summary", out string? summary))
            {
                text.Append(" - ").Append(summary);
            }

            string labels = string.Join(", ", alert.Labels
                .Where(static p => p.Key is not ("alertname" or "severity"))
                .Select(static p => $"{p.Key}={p.Value}"));
            if (labels.Length > 0)
            {
                text.Append(" {").Append(labels).Append('}');
            }

            if (color)
            {
                text.Append(Reset);
            }

            text.AppendLine();
        }

        lock (output)
        {
            output.Write(text.ToString());
            output.Flush();
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
    }

    private static string ColorOf(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => "\u001b[1;31m",
        AlertSeverity.Warning => "\u001b[33m",
        _ => "\u001b[36m",
    };
}
