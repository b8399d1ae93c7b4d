using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Maran.Instrument.Generator.Parsing;

/// <summary>How often this thread resolved a value of a <see cref="ReferenceCache{T}"/> instead of reusing one, for the incrementality tests.</summary>
internal static class ReferenceCache
{
    [ThreadStatic]
    private static long t_resolved;

    /// <summary>How many values (each a set of type lookups across the references) this thread resolved.</summary>
    internal static long Resolved => t_resolved;

    internal static void CountResolution() => t_resolved++;
}

/// <summary>
/// A value resolved from a compilation's references (types looked up by name in every referenced assembly), kept
/// for the compilations that follow it in an IDE session. An edit makes a new compilation that shares the previous
/// one's referenced assembly symbols, so the same lookups would give the same symbols. The value is given again to a
/// compilation with the same <see cref="DeclarationKey"/> (nothing declared in source changed, so no source type
/// newly shadows a referenced one) whose referenced assemblies are the very same symbols, and it is kept only when it
/// holds no symbol of the compilation's own assembly, which is new in each compilation. The referenced assemblies are
/// compared through weak references, so an entry keeps alive only what its value's symbols hold; sixteen entries (a few
/// projects' latest values) are kept at a time.
/// </summary>
internal sealed class ReferenceCache<T>
    where T : class?
{
    private const int Capacity = 16;

    private readonly Func<Compilation, T> _resolve;
    private readonly Func<T, IAssemblySymbol, bool> _holdsSymbolOf;
    private readonly ConditionalWeakTable<Compilation, Box> _byCompilation = new();
    private readonly ConditionalWeakTable<Compilation, Box>.CreateValueCallback _find;
    private readonly LinkedList<Entry> _entries = new();

    /// <param name="resolve">Looks the value up in a compilation (the expensive part).</param>
    /// <param name="holdsSymbolOf">Whether the value holds a symbol of the given assembly (then it is not kept).</param>
    public ReferenceCache(Func<Compilation, T> resolve, Func<T, IAssemblySymbol, bool> holdsSymbolOf)
    {
        _resolve = resolve;
        _holdsSymbolOf = holdsSymbolOf;
        _find = Find;
    }

    /// <summary>The value of <paramref name="compilation"/>: reused from an earlier compilation with the same references and declarations, or resolved.</summary>
    public T For(Compilation compilation) => _byCompilation.GetValue(compilation, _find).Value;

    private Box Find(Compilation compilation)
    {
        ulong key = DeclarationKey.Of(compilation);
        ImmutableArray<IAssemblySymbol> references = compilation.SourceModule.ReferencedAssemblySymbols;
        lock (_entries)
        {
            for (LinkedListNode<Entry>? node = _entries.First; node is not null; node = node.Next)
            {
                if (node.Value.Matches(key, references))
                {
                    _entries.Remove(node);
                    _entries.AddFirst(node);
                    return node.Value.Value;
                }
            }
        }

        ReferenceCache.CountResolution();
        var box = new Box(_resolve(compilation));
        if (!_holdsSymbolOf(box.Value, compilation.Assembly))
        {
            lock (_entries)
            {
                _entries.AddFirst(new Entry(key, references, box));
                if (_entries.Count > Capacity)
                {
                    _entries.RemoveLast();
                }
            }
        }

        return box;
    }

    /// <summary>A value, which may be null, as a table entry.</summary>
    private sealed class Box(T value)
    {
        public T Value { get; } = value;
    }

    /// <summary>A value with the declaration key and the referenced assemblies it was resolved under.</summary>
    private sealed class Entry
    {
        private readonly ulong _key;
        private readonly WeakReference<IAssemblySymbol>[] _references;

        public Entry(ulong key, ImmutableArray<IAssemblySymbol> references, Box value)
        {
            _key = key;
            _references = new WeakReference<IAssemblySymbol>[references.Length];
            for (int i = 0; i < references.Length; i++)
            {
                _references[i] = new WeakReference<IAssemblySymbol>(references[i]);
            }

            Value = value;
        }

        public Box Value { get; }

        public bool Matches(ulong key, ImmutableArray<IAssemblySymbol> references)
        {
            if (key != _key || references.Length != _references.Length)
            {
                return false;
            }

            for (int i = 0; i < references.Length; i++)
            {
                if (!_references[i].TryGetTarget(out IAssemblySymbol? reference) || !ReferenceEquals(reference, references[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
