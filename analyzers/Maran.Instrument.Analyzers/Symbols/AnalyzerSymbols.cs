using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Maran.Instrument.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Maran.Instrument.Analyzers.Symbols;

/// <summary>
/// What the analyzers know about one compilation: its Maran.Instrument symbols, the model APIs, and per-method answers,
/// looked up once and shared by every analyzer that runs on the compilation.
/// </summary>
internal sealed class AnalyzerSymbols
{
    private const string RuntimeAssemblyName = "Maran.Instrument";

    private static readonly ConditionalWeakTable<Compilation, AnalyzerSymbols?> s_cache = new();

    private readonly ConcurrentDictionary<IAssemblySymbol, bool> _mayCarryAttributes = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, MonitoredMethod> _monitored = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, IMethodSymbol?> _monitoredImplementations = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<string, ModelApiCatalog> _configuredCatalogs = new(StringComparer.Ordinal);
    private readonly Lazy<ModelApiCatalog> _catalog;

    private AnalyzerSymbols(Compilation compilation, KnownSymbols known)
    {
        Compilation = compilation;
        Known = known;
        ModelApiAttribute = compilation.GetTypeByMetadataName("Maran.Instrument.ModelApiAttribute");
        ModelCallAttribute = compilation.GetTypeByMetadataName("Maran.Instrument.ModelCallAttribute");
        PerformanceProfiler = compilation.GetTypeByMetadataName("Maran.Instrument.Profiling.PerformanceProfiler");
        AdvancedMonitoringSystem = compilation.GetTypeByMetadataName("Maran.Instrument.AdvancedMonitoringSystem");
        OperationHandle = compilation.GetTypeByMetadataName("Maran.Instrument.Profiling.OperationHandle");
        OperationToken = compilation.GetTypeByMetadataName("Maran.Instrument.Profiling.OperationToken");
        ErrorTracker = compilation.GetTypeByMetadataName("Maran.Instrument.Errors.ErrorTracker");
        AIFunctionFactory = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.AIFunctionFactory");
        LoggerExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.Logging.LoggerExtensions");
        Logger = compilation.GetTypeByMetadataName("Microsoft.Extensions.Logging.ILogger");
        _catalog = new Lazy<ModelApiCatalog>(() => ModelApiCatalog.Create(this));
    }

    public Compilation Compilation { get; }

    /// <summary>The generator's own symbols, so its rules run here unchanged.</summary>
    public KnownSymbols Known { get; }

    public INamedTypeSymbol? ModelApiAttribute { get; }

    public INamedTypeSymbol? ModelCallAttribute { get; }

    public INamedTypeSymbol? PerformanceProfiler { get; }

    public INamedTypeSymbol? AdvancedMonitoringSystem { get; }

    public INamedTypeSymbol? OperationHandle { get; }

    public INamedTypeSymbol? OperationToken { get; }

    public INamedTypeSymbol? ErrorTracker { get; }

    /// <summary>Microsoft.Extensions.AI's tool factory: the generator wraps the delegate each <c>Create</c> call receives.</summary>
    public INamedTypeSymbol? AIFunctionFactory { get; }

    public INamedTypeSymbol? LoggerExtensions { get; }

    public INamedTypeSymbol? Logger { get; }

    /// <summary>The model APIs of the compilation: the built-in list plus <c>[assembly: ModelApi]</c> declarations.</summary>
    public ModelApiCatalog Catalog => _catalog.Value;

    /// <summary>The symbols of <paramref name="compilation"/>, or null when it does not reference Maran.Instrument.</summary>
    public static AnalyzerSymbols? For(Compilation compilation) =>
        s_cache.GetValue(compilation, static c => KnownSymbols.For(c) is { } known ? new AnalyzerSymbols(c, known) : null);

    /// <summary>
    /// The model APIs of the project: the compilation's, plus those its global analyzer config lists
    /// (<c>maran_instrument.model_apis</c>), read exactly as the generator reads them.
    /// </summary>
    public ModelApiCatalog CatalogFor(AnalyzerOptions options)
    {
        if (!options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(ConfiguredModelApis.OptionName, out string? value)
            || string.IsNullOrWhiteSpace(value))
        {
            return Catalog;
        }

        return _configuredCatalogs.GetOrAdd(value, v => ConfiguredModelApis.Parse(v) is { Entries.Length: > 0 } configured
            ? Catalog.With(configured.Resolve(Compilation))
            : Catalog);
    }

    /// <summary>The project's <c>maran_instrument.model_apis</c>, from its global options.</summary>
    public static ConfiguredModelApis Configured(AnalyzerOptions options) =>
        ConfiguredModelApis.Parse(options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(ConfiguredModelApis.OptionName, out string? value) ? value : null);

    /// <summary>
    /// Whether <paramref name="assembly"/> can declare Maran.Instrument attributes: this compilation's own, or one that
    /// references the runtime. Every other assembly is skipped without reading its attributes.
    /// </summary>
    public bool MayCarryAttributes(IAssemblySymbol? assembly) =>
        assembly is not null
        && _mayCarryAttributes.GetOrAdd(assembly, a =>
            SymbolEqualityComparer.Default.Equals(a, Compilation.Assembly)
            || a.Modules.Any(m => m.ReferencedAssemblies.Any(r => r.Name == RuntimeAssemblyName)));

    /// <summary>How the generator treats calls of <paramref name="method"/> (a definition): monitored or not, interceptable or why not.</summary>
    public MonitoredMethod GetMonitored(IMethodSymbol method)
    {
        if (!MayCarryAttributes(method.ContainingAssembly))
        {
            return default;
        }

        return _monitored.GetOrAdd(method, m => MonitoredOperation.Find(m, Known) is { } operation
            ? new MonitoredMethod(operation, MethodModelBuilder.WhyNotInterceptable(m, Compilation, Known))
            : default);
    }

    /// <summary>
    /// A monitored, interceptable method of this compilation that overrides or implements <paramref name="target"/>, an
    /// unmonitored virtual or interface method; calls through <paramref name="target"/> then miss it. Null when none.
    /// </summary>
    public IMethodSymbol? FindMonitoredImplementation(IMethodSymbol target)
    {
        if (target.IsStatic
            || (target.ContainingType.TypeKind == TypeKind.Interface
                ? !(target.IsAbstract || target.IsVirtual)
                : !(target.IsVirtual || target.IsAbstract || target.IsOverride) || target.IsSealed))
        {
            return null;
        }

        return _monitoredImplementations.GetOrAdd(target, t =>
        {
            // The declaration table answers a name query without binding anything; only same-named methods are examined.
            foreach (ISymbol symbol in Compilation.GetSymbolsWithName(t.Name, SymbolFilter.Member))
            {
                if (symbol is IMethodSymbol candidate
                    && !SymbolEqualityComparer.Default.Equals(candidate, t)
                    && GetMonitored(candidate).IsInterceptable
                    && (Overrides(candidate, t) || Implements(candidate, t)))
                {
                    return candidate;
                }
            }

            return null;
        });
    }

    /// <summary>Whether <paramref name="method"/> (a definition) is a model call by the rules of <paramref name="catalog"/>.</summary>
    public bool IsModelCall(IMethodSymbol method, ModelApiCatalog catalog)
    {
        INamedTypeSymbol? modelCall = MayCarryAttributes(method.ContainingAssembly) ? ModelCallAttribute : null;
        return (modelCall is not null || catalog.MayMatch(method.Name)) && catalog.IsModelApi(method, modelCall);
    }

    public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeType)
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

    public static AttributeData? FindAttribute(ISymbol symbol, INamedTypeSymbol? attributeType)
    {
        if (attributeType is not null)
        {
            foreach (AttributeData attribute in symbol.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
                {
                    return attribute;
                }
            }
        }

        return null;
    }

    private static bool Overrides(IMethodSymbol candidate, IMethodSymbol target)
    {
        for (IMethodSymbol? current = candidate.OverriddenMethod; current is not null; current = current.OverriddenMethod)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, target))
            {
                return true;
            }
        }

        return false;
    }

    // The candidate implements the interface method itself, or overrides the base method that does.
    private static bool Implements(IMethodSymbol candidate, IMethodSymbol target)
    {
        if (target.ContainingType.TypeKind != TypeKind.Interface || candidate.ContainingType is not { } type)
        {
            return false;
        }

        var chain = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        for (IMethodSymbol? current = candidate; current is not null; current = current.OverriddenMethod)
        {
            chain.Add(current.OriginalDefinition);
        }

        foreach (INamedTypeSymbol @interface in type.AllInterfaces)
        {
            if (!SymbolEqualityComparer.Default.Equals(@interface.OriginalDefinition, target.ContainingType))
            {
                continue;
            }

            foreach (IMethodSymbol member in @interface.GetMembers(target.Name).OfType<IMethodSymbol>())
            {
                if (SymbolEqualityComparer.Default.Equals(member.OriginalDefinition, target)
                    && type.FindImplementationForInterfaceMember(member) is IMethodSymbol implementation
                    && chain.Contains(implementation.OriginalDefinition))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
