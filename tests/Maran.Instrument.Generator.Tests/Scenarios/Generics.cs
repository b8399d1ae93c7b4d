using System;
using System.Collections.Generic;
using Maran.Instrument;

namespace Scenarios.Generics;

public class Store<TKey> where TKey : notnull
{
    private readonly Dictionary<TKey, object?> _items = new();

    [MonitorOperation("put", "generics")]
    public TValue Put<TValue>(TKey key, TValue value) where TValue : class?
    {
        _items[key] = value;
        return value;
    }

    public class Index<TItem> where TItem : IComparable<TItem>
    {
        [MonitorOperation("max", "generics")]
        public TItem Max<TOther>(TItem a, TItem b, TOther tag) where TOther : struct => a.CompareTo(b) >= 0 ? a : b;
    }
}

public static class Factory
{
    [MonitorOperation("make", "generics")]
    public static T Make<T>() where T : new() => new T();
}

public static class Program
{
    public static string Run()
    {
        var store = new Store<int>();
        string inferred = store.Put(1, "one");
        string? explicitArgs = store.Put<string?>(2, null);
        var index = new Store<string>.Index<int>();
        int max = index.Max(3, 9, 'x');
        var list = Factory.Make<List<int>>();
        return $"{inferred} {explicitArgs ?? "null"} {max} {list.Count}";
    }
}
