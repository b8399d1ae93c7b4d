using System.Buffers;
using System.Text.Json;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// The messages a live client receives, written straight as UTF-8 JSON: <c>hello</c> on connecting, a <c>tick</c>
/// once a second (the overview, the newest trend point and, when it changed, the client's view), and a
/// <c>view</c> as soon as the client asks for another one, or an <c>error</c> when it cannot have it.
/// </summary>
internal static class LiveMessages
{
    /// <summary>The first message: the tick interval, the trend capacity, the sections, who the dashboard shows and the instance chosen.</summary>
    public static byte[] Hello(DashboardFrame frame, IReadOnlyList<SectionInfo> sections, int intervalMs, IdentityView identity)
    {
        return Write(writer =>
        {
            writer.WriteString("type", "hello");
            writer.WriteNumber("intervalMs", intervalMs);
            writer.WriteNumber("capacity", frame.Trends.Capacity);
            writer.WritePropertyName("identity");
            JsonSerializer.Serialize(writer, identity, DashboardJson.Default.IdentityView);
            if (frame.Instance is { } instance)
            {
                writer.WriteString("instance", instance);
            }

            writer.WritePropertyName("sections");
            JsonSerializer.Serialize(writer, sections, DashboardJson.Default.IReadOnlyListSectionInfo);
        });
    }

    public static byte[] Tick(DashboardFrame frame, (int Id, string Section, RenderedView View)? view)
    {
        return Write(writer =>
        {
            writer.WriteString("type", "tick");
            writer.WriteNumber("seq", frame.Sequence);
            writer.WritePropertyName("overview");
            writer.WriteRawValue(frame.OverviewJson, skipInputValidation: true);
            writer.WritePropertyName("point");
            if (frame.Point is { } point)
            {
                JsonSerializer.Serialize(writer, point, DashboardJson.Default.TrendPoint);
            }
            else
            {
                writer.WriteNullValue();
            }

            if (view is { } v)
            {
                writer.WritePropertyName("view");
                writer.WriteStartObject();
                WriteView(writer, v.Id, v.Section, v.View);
                writer.WriteEndObject();
            }
        });
    }

    public static byte[] View(int id, string section, RenderedView view) =>
        Write(writer =>
        {
            writer.WriteString("type", "view");
            WriteView(writer, id, section, view);
        });

    /// <summary>
    /// A request the client made was refused: <c>{"type":"error","id":3,"error":"...","parameter":"before","allowed":"..."}</c>.
    /// The connection and the client's current view stay as they were.
    /// </summary>
    public static byte[] Error(int? id, string error, QueryProblem? problem) =>
        Write(writer =>
        {
            writer.WriteString("type", "error");
            if (id is { } value)
            {
                writer.WriteNumber("id", value);
            }

            writer.WriteString("error", error);
            if (problem is not null)
            {
                writer.WriteString("parameter", problem.Parameter);
                writer.WriteString("allowed", problem.Allowed);
            }
        });

    private static void WriteView(Utf8JsonWriter writer, int id, string section, RenderedView view)
    {
        writer.WriteNumber("id", id);
        writer.WriteString("section", section);
        writer.WritePropertyName("data");
        writer.WriteRawValue(view.Json, skipInputValidation: true);
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
