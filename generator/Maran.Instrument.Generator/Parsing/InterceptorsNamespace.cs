using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Maran.Instrument.Generator.Parsing;

/// <summary>The namespace the generated interceptors live in, and whether the compiler accepts interceptors there.</summary>
internal static class InterceptorsNamespace
{
    public const string Name = "Maran.Instrument.Generated";

    private static readonly string[] FeatureKeys = ["InterceptorsNamespaces", "InterceptorsPreviewNamespaces"];

    /// <summary>Whether <paramref name="options"/> list <see cref="Name"/> (or a namespace that contains it) for interceptors.</summary>
    public static bool IsEnabledIn(ParseOptions options)
    {
        IReadOnlyDictionary<string, string> features = options.Features;
        foreach (string key in FeatureKeys)
        {
            if (features.TryGetValue(key, out string? value) && Lists(value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Lists(string namespaces)
    {
        foreach (string entry in namespaces.Split([';', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            string name = entry.Trim();
            if (name == Name || (Name.StartsWith(name, StringComparison.Ordinal) && name.Length < Name.Length && Name[name.Length] == '.'))
            {
                return true;
            }
        }

        return false;
    }
}
