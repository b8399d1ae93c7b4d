using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Maran.Instrument.Alerts;

/// <summary>
/// The JSON shapes notifications travel in: the Alertmanager webhook body (version 4), the Alertmanager API's
/// posted alerts, and the file channel's one line per alert.
/// </summary>
internal static class AlertPayloads
{
    /// <summary>Go's zero time, which Alertmanager's webhook uses as the end of a firing alert.</summary>
    private const string ZeroTime = "0001-01-01T00:00:00Z";

    /// <summary>The Alertmanager webhook body, version 4, so receivers written for Alertmanager work unchanged.</summary>
    public static byte[] Webhook(AlertNotification notification, string receiver)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("version", "4");
            json.WriteString("groupKey", notification.GroupKey);
            json.WriteNumber("truncatedAlerts", 0);
            json.WriteString("status", notification.Status);
            json.WriteString("receiver", receiver);
            WriteMap(json, "groupLabels", notification.GroupLabels);
            WriteMap(json, "commonLabels", notification.CommonLabels);
            WriteMap(json, "commonAnnotations", notification.CommonAnnotations);
            json.WriteString("externalURL", notification.ExternalUrl?.ToString() ?? string.Empty);
            json.WriteStartArray("alerts");
            foreach (Alert alert in notification.Alerts)
            {
                json.WriteStartObject();
                json.WriteString("status", alert.State == AlertState.Firing ? "firing" : "resolved");
                WriteMap(json, "labels", alert.Labels);
                WriteMap(json, "annotations", alert.Annotations);
                json.WriteString("startsAt", Time(alert.FiredAt ?? alert.ActiveAt));
                json.WriteString("endsAt", alert.ResolvedAt is { } resolved ? Time(resolved) : ZeroTime);
                json.WriteString("generatorURL", notification.ExternalUrl?.ToString() ?? string.Empty);
                json.WriteString("fingerprint", alert.Fingerprint);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The body of <c>POST /api/v2/alerts</c>. A firing alert ends at <paramref name="firingEndsAt"/> unless it is sent
    /// again, so Alertmanager resolves it by itself if this process stops (as Prometheus does).
    /// </summary>
    public static byte[] Alertmanager(AlertNotification notification, DateTimeOffset firingEndsAt)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (Alert alert in notification.Alerts)
            {
                json.WriteStartObject();
                WriteMap(json, "labels", alert.Labels);
                WriteMap(json, "annotations", alert.Annotations);
                json.WriteString("startsAt", Time(alert.FiredAt ?? alert.ActiveAt));
                json.WriteString("endsAt", Time(alert.ResolvedAt ?? firingEndsAt));
                if (notification.ExternalUrl is { } url)
                {
                    json.WriteString("generatorURL", url.ToString());
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>One JSON line for the file channel.</summary>
    public static byte[] FileLine(AlertNotification notification, Alert alert)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", Time(notification.At));
            json.WriteString("status", alert.State == AlertState.Firing ? "firing" : "resolved");
            json.WriteString("notification", notification.Kind switch
            {
                AlertNotificationKind.Repeat => "repeat",
                AlertNotificationKind.Resend => "resend",
                _ => "changed",
            });
            json.WriteString("alertname", alert.RuleName);
            json.WriteString("severity", AlertRuleValidator.SeverityName(alert.Severity));
            json.WriteNumber("value", double.IsFinite(alert.Value) ? alert.Value : 0);
            WriteMap(json, "labels", alert.Labels);
            WriteMap(json, "annotations", alert.Annotations);
            json.WriteString("startsAt", Time(alert.FiredAt ?? alert.ActiveAt));
            if (alert.ResolvedAt is { } resolved)
            {
                json.WriteString("endsAt", Time(resolved));
            }

            json.WriteString("fingerprint", alert.Fingerprint);
            json.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A time as RFC 3339 in UTC with milliseconds.</summary>
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void WriteMap(Utf8JsonWriter json, string name, IReadOnlyDictionary<string, string> map)
    {
        json.WriteStartObject(name);
        foreach ((string key, string value) in map.OrderBy(static p => p.Key, StringComparer.Ordinal))
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
    }
}
