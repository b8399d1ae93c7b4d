using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Maran.Instrument.Generator.Parsing;

/// <summary>The operation a method is monitored as: from its own attribute, an overridden method's, or its type's.</summary>
internal readonly struct MonitoredOperation
{
    private MonitoredOperation(string name, string component, string? model, string? provider = null, string? genAIOperation = null)
    {
        Name = name;
        Component = component;
        Model = model;
        Provider = provider;
        GenAIOperation = genAIOperation;
    }

    public string Name { get; }

    public string Component { get; }

    public string? Model { get; }

    public string? Provider { get; }

    public string? GenAIOperation { get; }

    /// <summary>The recorder identity of a model, tool or agent call the generator intercepts.</summary>
    public static MonitoredOperation ForCall(string name, string component, string? provider, string genAIOperation) =>
        new(name, component, null, provider, genAIOperation);

    /// <summary>
    /// The operation <paramref name="method"/> (a definition) is monitored as, or null. Invalid attribute
    /// arguments (empty or non-constant) leave the method unmonitored; the analyzers report them.
    /// </summary>
    public static MonitoredOperation? Find(IMethodSymbol method, KnownSymbols known)
    {
        for (IMethodSymbol? current = method; current is not null; current = current.OverriddenMethod)
        {
            foreach (AttributeData attribute in current.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, known.MonitorOperation))
                {
                    return FromOperationAttribute(attribute);
                }
            }

            if (!current.IsOverride)
            {
                break;
            }
        }

        if (known.MonitorComponent is null
            || method.DeclaredAccessibility != Accessibility.Public
            || method.MethodKind != MethodKind.Ordinary
            || HasAttribute(method, known.DoNotMonitor))
        {
            return null;
        }

        foreach (AttributeData attribute in method.ContainingType.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, known.MonitorComponent)
                && attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is string { Length: > 0 } component)
            {
                return new MonitoredOperation(method.Name, component, null);
            }
        }

        return null;
    }

    private static MonitoredOperation? FromOperationAttribute(AttributeData attribute)
    {
        if (attribute.ConstructorArguments.Length != 2
            || attribute.ConstructorArguments[0].Value is not string { Length: > 0 } name
            || attribute.ConstructorArguments[1].Value is not string { Length: > 0 } component)
        {
            return null;
        }

        string? model = null, provider = null, genAIOperation = null;
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Value.Value is not string { Length: > 0 } value)
            {
                continue;
            }

            switch (argument.Key)
            {
                case "Model":
                    model = value;
                    break;
                case "Provider":
                    provider = value;
                    break;
                case "GenAIOperation":
                    genAIOperation = value;
                    break;
            }
        }

        return new MonitoredOperation(name, component, model, provider, genAIOperation);
    }

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeType)
    {
        if (attributeType is null)
        {
            return false;
        }

        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return true;
            }
        }

        return false;
    }
}
