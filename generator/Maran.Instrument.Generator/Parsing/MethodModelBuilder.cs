using System.Collections.Generic;
using System.Linq;
using Maran.Instrument.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Maran.Instrument.Generator.Parsing;

/// <summary>Turns a monitored method symbol into a <see cref="MethodModel"/> of source text, or null when the generator cannot intercept it.</summary>
internal static class MethodModelBuilder
{
    internal static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static readonly SymbolDisplayFormat DisplayFormat = SymbolDisplayFormat.CSharpShortErrorMessageFormat
        .WithParameterOptions(SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeParamsRefOut)
        .WithMemberOptions(SymbolDisplayMemberOptions.IncludeContainingType | SymbolDisplayMemberOptions.IncludeParameters);

    /// <summary>How generated comments and recorders show <paramref name="method"/>: <c>Type.Method(parameter types)</c>.</summary>
    internal static string Display(IMethodSymbol method) => method.ToDisplayString(DisplayFormat);

    /// <summary>Why a method cannot be intercepted, or null when it can. Shared with the analyzers' reasoning in the docs.</summary>
    internal static string? WhyNotInterceptable(IMethodSymbol method, Compilation compilation, KnownSymbols known)
    {
        if (method.MethodKind != MethodKind.Ordinary)
        {
            return "only ordinary methods can be intercepted";
        }

        if (method.IsVararg)
        {
            return "__arglist methods cannot be intercepted";
        }

        if (method.IsStatic && method.ContainingType.TypeKind == TypeKind.Interface)
        {
            return "static interface members cannot be intercepted";
        }

        if (!AllTypesAccessible(method, compilation))
        {
            return "its signature uses a type the generated code cannot name (private, protected or file-local)";
        }

        if (!compilation.IsSymbolAccessibleWithin(method, compilation.Assembly))
        {
            if (!known.HasUnsafeAccessor)
            {
                return "private and protected methods need [UnsafeAccessor] (.NET 8 or later)";
            }

            bool generic = method.IsGenericMethod || ContainingTypes(method.ContainingType).Any(t => t.IsGenericType);
            if (generic && !known.HasGenericUnsafeAccessor)
            {
                return "private and protected generic methods need generic [UnsafeAccessor] (.NET 9 or later)";
            }

            if (method.IsStatic && method.ContainingType.IsStatic && !known.HasUnsafeAccessorType)
            {
                return "private static methods of static classes need [UnsafeAccessorType] (.NET 10 or later)";
            }

            if (method.IsStatic && method.ContainingType.IsStatic && generic)
            {
                return "private static methods of generic static classes cannot be reached";
            }
        }

        return null;
    }

    public static MethodModel Build(IMethodSymbol method, MonitoredOperation operation, Compilation compilation, KnownSymbols known)
    {
        INamedTypeSymbol containingType = method.ContainingType;
        bool direct = compilation.IsSymbolAccessibleWithin(method, compilation.Assembly);
        AccessKind access = direct ? AccessKind.Direct : method.IsStatic ? AccessKind.StaticAccessor : AccessKind.InstanceAccessor;

        ReceiverKind receiver = method.IsStatic
            ? ReceiverKind.None
            : containingType.IsValueType
                ? (containingType.IsReadOnly || method.IsReadOnly ? ReceiverKind.ReadOnlyStruct : ReceiverKind.MutableStruct)
                : ReceiverKind.Reference;

        var containingTypeParameters = ContainingTypes(containingType)
            .SelectMany(t => t.TypeParameters)
            .ToList();
        var typeParameters = containingTypeParameters.Concat(method.TypeParameters)
            .Select(p => new TypeParameterModel(p.Name, Constraints(p)))
            .ToEquatableArray();

        var parameters = method.Parameters
            .Select((p, i) => new ParameterModel(
                Name: "@" + p.Name,
                Type: p.Type.ToDisplayString(TypeFormat),
                RefKind: RefKindText(p.RefKind),
                IsParams: p.IsParams,
                IsScoped: p.ScopedKind != ScopedKind.None && !IsImplicitlyScoped(p),
                IsUnscopedRef: HasAttribute(p, known.UnscopedRef),
                IsThis: i == 0 && method.IsExtensionMethod))
            .ToEquatableArray();

        string? accessorTypeName = null;
        if (access == AccessKind.StaticAccessor && containingType.IsStatic)
        {
            accessorTypeName = MetadataName(containingType) + ", " + compilation.AssemblyName;
        }

        ReturnShape shape = ShapeOf(method, known);
        return new MethodModel(
            Key: method.GetDocumentationCommentId() ?? method.ToDisplayString(),
            Name: method.Name,
            ContainingType: containingType.ToDisplayString(TypeFormat),
            AccessorTypeName: accessorTypeName,
            Receiver: receiver,
            IsExtension: method.IsExtensionMethod,
            TypeParameters: typeParameters,
            ContainingTypeParameters: containingTypeParameters.Select(p => p.Name).ToEquatableArray(),
            MethodTypeParameters: method.TypeParameters.Select(p => p.Name).ToEquatableArray(),
            Parameters: parameters,
            ReturnType: method.ReturnsVoid ? "void" : method.ReturnType.ToDisplayString(TypeFormat),
            ReturnRefKind: method.ReturnsByRefReadonly ? "ref readonly " : method.ReturnsByRef ? "ref " : string.Empty,
            Shape: shape,
            Access: access,
            OperationName: operation.Name,
            Component: operation.Component,
            Model: operation.Model,
            Provider: operation.Provider,
            GenAIOperation: operation.GenAIOperation,
            Display: method.ToDisplayString(DisplayFormat),
            SuppressedDiagnostics: SuppressedDiagnostics(method, known).ToEquatableArray(),
            Usage: UsageDetector.Detect(method, shape, known),
            ExtensionNamespace: method.IsExtensionMethod && direct && compilation.GetTypesByMetadataName(MetadataName(containingType)).Length > 1
                ? containingType.ContainingNamespace.ToDisplayString()
                : null);
    }

    private static ReturnShape ShapeOf(IMethodSymbol method, KnownSymbols known)
    {
        if (method.ReturnsVoid)
        {
            return ReturnShape.Void;
        }

        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return ReturnShape.Value;
        }

        ITypeSymbol type = method.ReturnType.OriginalDefinition;
        if (Is(type, known.Task) || Is(type, known.TaskOfT))
        {
            return ReturnShape.Task;
        }

        if (Is(type, known.ValueTask) || Is(type, known.ValueTaskOfT))
        {
            return ReturnShape.ValueTask;
        }

        if (Is(type, known.AsyncCollectionResultOfT))
        {
            return ReturnShape.AsyncCollection;
        }

        if (Is(type, known.CollectionResultOfT))
        {
            return ReturnShape.Collection;
        }

        if (Is(type, known.AsyncEnumerable))
        {
            return ReturnShape.Stream;
        }

        return InVectorRegister(method.ReturnType) ? ReturnShape.VectorRegisterValue : ReturnShape.Value;
    }

    // Floating-point and SIMD values, which the x64 and Arm64 calling conventions return in vector registers.
    private static bool InVectorRegister(ITypeSymbol type) =>
        type.SpecialType is SpecialType.System_Double or SpecialType.System_Single
        || (type is INamedTypeSymbol { IsValueType: true } named && named.ContainingNamespace?.ToDisplayString() is { } ns
            && ((ns == "System" && named.Name == "Half")
                || (ns == "System.Numerics" && named.Name is "Vector" or "Vector2" or "Vector3" or "Vector4")
                || (ns == "System.Runtime.Intrinsics" && named.Name is "Vector64" or "Vector128" or "Vector256" or "Vector512")));

    private static bool Is(ITypeSymbol type, INamedTypeSymbol? known) =>
        known is not null && SymbolEqualityComparer.Default.Equals(type, known);

    private static Stack<INamedTypeSymbol> ContainingTypes(INamedTypeSymbol type)
    {
        var chain = new Stack<INamedTypeSymbol>();
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            chain.Push(current);
        }

        return chain;
    }

    private static string MetadataName(INamedTypeSymbol type)
    {
        var names = new Stack<string>();
        INamedTypeSymbol current = type;
        while (current.ContainingType is { } outer)
        {
            names.Push("+" + current.MetadataName);
            current = outer;
        }

        names.Push(current.ContainingNamespace.IsGlobalNamespace
            ? current.MetadataName
            : current.ContainingNamespace.ToDisplayString() + "." + current.MetadataName);
        return string.Concat(names);
    }

    private static string RefKindText(RefKind kind) => kind switch
    {
        RefKind.Ref => "ref ",
        RefKind.Out => "out ",
        RefKind.In => "in ",
        RefKind.RefReadOnlyParameter => "ref readonly ",
        _ => string.Empty,
    };

    // 'out' parameters are scoped without saying so; writing 'scoped' there is redundant but legal, so only explicit ones are repeated.
    private static bool IsImplicitlyScoped(IParameterSymbol parameter) => parameter.RefKind == RefKind.Out;

    private static string Constraints(ITypeParameterSymbol parameter)
    {
        var parts = new List<string>();
        if (parameter.HasReferenceTypeConstraint)
        {
            parts.Add(parameter.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated ? "class?" : "class");
        }
        else if (parameter.HasUnmanagedTypeConstraint)
        {
            parts.Add("unmanaged");
        }
        else if (parameter.HasValueTypeConstraint)
        {
            parts.Add("struct");
        }
        else if (parameter.HasNotNullConstraint)
        {
            parts.Add("notnull");
        }

        foreach (ITypeSymbol constraint in parameter.ConstraintTypes)
        {
            parts.Add(constraint.ToDisplayString(TypeFormat));
        }

        if (parameter.HasConstructorConstraint && !parameter.HasValueTypeConstraint)
        {
            parts.Add("new()");
        }

        if (parameter.AllowsRefLikeType)
        {
            parts.Add("allows ref struct");
        }

        return string.Join(", ", parts);
    }

    private static SortedSet<string> SuppressedDiagnostics(IMethodSymbol method, KnownSymbols known)
    {
        var ids = new SortedSet<string>(System.StringComparer.Ordinal);
        for (ISymbol? symbol = method; symbol is not null; symbol = symbol.ContainingType)
        {
            foreach (AttributeData attribute in symbol.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, known.Obsolete))
                {
                    ids.Add("CS0612");
                    ids.Add("CS0618");
                }
                else if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, known.Experimental)
                         && attribute.ConstructorArguments.Length == 1
                         && attribute.ConstructorArguments[0].Value is string id)
                {
                    ids.Add(id);
                }
            }
        }

        return ids;
    }

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeType) =>
        attributeType is not null && symbol.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attributeType));

    private static bool AllTypesAccessible(IMethodSymbol method, Compilation compilation)
    {
        if (!method.IsStatic || !method.ContainingType.IsStatic)
        {
            if (!IsNameable(method.ContainingType, compilation))
            {
                return false;
            }
        }

        if (!method.ReturnsVoid && !IsNameable(method.ReturnType, compilation))
        {
            return false;
        }

        foreach (IParameterSymbol parameter in method.Parameters)
        {
            if (!IsNameable(parameter.Type, compilation))
            {
                return false;
            }
        }

        foreach (ITypeParameterSymbol typeParameter in method.TypeParameters)
        {
            foreach (ITypeSymbol constraint in typeParameter.ConstraintTypes)
            {
                if (!IsNameable(constraint, compilation))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsNameable(ITypeSymbol type, Compilation compilation) => type switch
    {
        ITypeParameterSymbol => true,
        IArrayTypeSymbol array => IsNameable(array.ElementType, compilation),
        IPointerTypeSymbol pointer => IsNameable(pointer.PointedAtType, compilation),
        IFunctionPointerTypeSymbol => false,
        INamedTypeSymbol named => !IsFileLocal(named)
                                  && !named.IsAnonymousType
                                  && compilation.IsSymbolAccessibleWithin(named.OriginalDefinition, compilation.Assembly)
                                  && named.TypeArguments.All(t => IsNameable(t, compilation)),
        _ => true,
    };

    private static bool IsFileLocal(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsFileLocal)
            {
                return true;
            }
        }

        return false;
    }
}
