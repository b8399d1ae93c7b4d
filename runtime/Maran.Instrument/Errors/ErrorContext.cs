namespace Maran.Instrument.Errors;

/// <summary>
/// Tags that travel with the current async flow and are attached to every error tracked inside it, automatic or
/// by hand: <c>using (ErrorContext.Push("conversation", id)) { ... }</c>. Reading them on the failure path costs
/// one field read; argument values of monitored methods are never captured.
/// </summary>
public static class ErrorContext
{
    private static readonly AsyncLocal<Node?> s_current = new();

    /// <summary>Adds <paramref name="key"/> = <paramref name="value"/> until the returned scope is disposed; an inner value hides an outer one of the same key.</summary>
    public static IDisposable Push(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        Node? parent = s_current.Value;
        s_current.Value = new Node(key, value, parent);
        return new Scope(parent);
    }

    internal static Node? Current => s_current.Value;

    /// <summary>The tags of <paramref name="node"/> and its parents merged with <paramref name="explicitContext"/> (which wins), or null when there are none.</summary>
    internal static Dictionary<string, string>? Flatten(Node? node, IReadOnlyDictionary<string, string>? explicitContext)
    {
        if (node is null && (explicitContext is null || explicitContext.Count == 0))
        {
            return null;
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (explicitContext is not null)
        {
            foreach ((string key, string value) in explicitContext)
            {
                tags[key] = value;
            }
        }

        for (Node? current = node; current is not null; current = current.Parent)
        {
            tags.TryAdd(current.Key, current.Value);
        }

        return tags;
    }

    internal sealed record Node(string Key, string Value, Node? Parent);

    private sealed class Scope(Node? parent) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                s_current.Value = parent;
            }
        }
    }
}
