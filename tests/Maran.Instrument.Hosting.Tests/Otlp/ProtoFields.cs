using Google.Protobuf;

namespace Maran.Instrument.Hosting.Tests.Otlp;

/// <summary>
/// One protobuf message read field by field with <see cref="CodedInputStream"/>: each field number with its values, a
/// length-delimited value kept as bytes (a string or a nested message, as the reader knows from the .proto).
/// </summary>
internal sealed class ProtoFields
{
    private readonly Dictionary<int, List<object>> _fields = [];

    private ProtoFields()
    {
    }

    public static ProtoFields Parse(ByteString bytes)
    {
        var message = new ProtoFields();
        var input = new CodedInputStream(bytes.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            int field = WireFormat.GetTagFieldNumber(tag);
            object value = WireFormat.GetTagWireType(tag) switch
            {
                WireFormat.WireType.Varint => input.ReadUInt64(),
                WireFormat.WireType.Fixed64 => input.ReadFixed64(),
                WireFormat.WireType.Fixed32 => input.ReadFixed32(),
                WireFormat.WireType.LengthDelimited => input.ReadBytes(),
                WireFormat.WireType type => throw new InvalidDataException($"field {field} has wire type {type}, which OTLP does not use"),
            };
            if (!message._fields.TryGetValue(field, out List<object>? values))
            {
                message._fields[field] = values = [];
            }

            values.Add(value);
        }

        return message;
    }

    /// <summary>The nested messages of <paramref name="field"/>.</summary>
    public IEnumerable<ProtoFields> Messages(int field) => Bytes(field).Select(Parse);

    /// <summary>The first value of <paramref name="field"/> as a UTF-8 string, or null when the field is absent.</summary>
    public string? String(int field) => Bytes(field).Select(static b => b.ToStringUtf8()).FirstOrDefault();

    private IEnumerable<ByteString> Bytes(int field) => _fields.GetValueOrDefault(field)?.OfType<ByteString>() ?? [];
}
