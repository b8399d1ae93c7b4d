namespace Maran.Instrument.Dashboard;

/// <summary>A view as UTF-8 JSON and its hash, by which a live client sees that it has not changed since it was last sent.</summary>
internal sealed class RenderedView(byte[] json)
{
    public byte[] Json { get; } = json;

    public ulong Hash { get; } = Fnv1a(json);

    private static ulong Fnv1a(ReadOnlySpan<byte> bytes)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
