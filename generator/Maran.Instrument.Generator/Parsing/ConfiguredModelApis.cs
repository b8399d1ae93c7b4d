using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Maran.Instrument.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Maran.Instrument.Generator.Parsing;

/// <summary>One entry of <c>maran_instrument.model_apis</c>: a type's metadata name and one of its methods (or <c>*</c>).</summary>
internal sealed record ConfiguredModelApi(string Entry, string TypeName, string Method);

/// <summary>
/// The model APIs a project declares in a global analyzer config (<c>.globalconfig</c>, or an <c>.editorconfig</c> with
/// <c>is_global = true</c>): <c>maran_instrument.model_apis = Vendor.Gateway.CompleteAsync, Vendor.Embedder.*</c>.
/// Each entry is a type's metadata name (<c>Outer+Inner</c>, <c>Client`1</c>), a dot and a method name, or <c>*</c> for
/// every method of the type; an optional <c>M:</c> prefix is dropped. Entries are separated by commas or white space
/// (a semicolon too, where the value does not come from a config file, whose parser reads one as a comment). Parsed from the option's text alone, so the value compares equal across edits; resolved against each
/// compilation by <see cref="Resolve"/>. The generator and the analyzers read the same option through this type.
/// </summary>
internal sealed record ConfiguredModelApis(EquatableArray<ConfiguredModelApi> Entries, EquatableArray<string> Malformed)
{
    /// <summary>The analyzer config key.</summary>
    public const string OptionName = "maran_instrument.model_apis";

    /// <summary>The method name that stands for every method of the type.</summary>
    public const string EveryMethod = "*";

    private static readonly char[] s_separators = [',', ';', ' ', '\t', '\r', '\n'];

    public static ConfiguredModelApis None { get; } = new(EquatableArray<ConfiguredModelApi>.Empty, EquatableArray<string>.Empty);

    /// <summary>Whether the option declares nothing, well-formed or not.</summary>
    public bool IsEmpty => Entries.Length == 0 && Malformed.Length == 0;

    /// <summary>The entries of an option value; those without a type or a method name go to <see cref="Malformed"/>.</summary>
    public static ConfiguredModelApis Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return None;
        }

        var entries = ImmutableArray.CreateBuilder<ConfiguredModelApi>();
        var malformed = ImmutableArray.CreateBuilder<string>();
        foreach (string raw in value!.Split(s_separators, StringSplitOptions.RemoveEmptyEntries))
        {
            string entry = raw.StartsWith("M:", StringComparison.Ordinal) ? raw.Substring(2) : raw;
            int dot = entry.LastIndexOf('.');
            string typeName = dot > 0 ? entry.Substring(0, dot) : string.Empty;
            string method = dot > 0 ? entry.Substring(dot + 1) : string.Empty;
            if (typeName.Length == 0 || !IsMethodName(method) || typeName.Split('.', '+').Any(part => part.Length == 0))
            {
                malformed.Add(raw);
            }
            else
            {
                entries.Add(new ConfiguredModelApi(raw, typeName, method));
            }
        }

        return new ConfiguredModelApis(entries.ToImmutable().ToEquatableArray(), malformed.ToImmutable().ToEquatableArray());
    }

    /// <summary>The listed types of <paramref name="compilation"/> with their listed methods; entries whose type or method is not there are left out.</summary>
    public IEnumerable<(INamedTypeSymbol Type, string Method)> Resolve(Compilation compilation)
    {
        foreach (ConfiguredModelApi api in Entries)
        {
            foreach (INamedTypeSymbol type in compilation.GetTypesByMetadataName(api.TypeName))
            {
                if (api.Method == EveryMethod || HasMethod(type, api.Method))
                {
                    yield return (type, api.Method);
                }
            }
        }
    }

    /// <summary>What is wrong with each entry that does not name a method of <paramref name="compilation"/>: the entry and why.</summary>
    public IEnumerable<(string Entry, string Problem)> Problems(Compilation compilation)
    {
        foreach (string entry in Malformed)
        {
            yield return (entry, "it is not of the form Namespace.Type.Method (or Namespace.Type.* for every method of the type)");
        }

        foreach (ConfiguredModelApi api in Entries)
        {
            ImmutableArray<INamedTypeSymbol> types = compilation.GetTypesByMetadataName(api.TypeName);
            if (types.IsEmpty)
            {
                yield return (api.Entry, $"no type '{api.TypeName}' is in this compilation or its references (nested types are written Outer+Inner, generic ones Client`1)");
            }
            else if (api.Method != EveryMethod && !types.Any(t => HasMethod(t, api.Method)))
            {
                yield return (api.Entry, $"'{api.TypeName}' has no method '{api.Method}'");
            }
        }
    }

    private static bool HasMethod(INamedTypeSymbol type, string name) =>
        type.GetMembers(name).Any(m => m is IMethodSymbol { MethodKind: MethodKind.Ordinary });

    private static bool IsMethodName(string name) =>
        name == EveryMethod
        || (name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_'));
}
