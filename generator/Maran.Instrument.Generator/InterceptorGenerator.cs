using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Maran.Instrument.Generator.Emitting;
using Maran.Instrument.Generator.Model;
using Maran.Instrument.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Maran.Instrument.Generator;

/// <summary>
/// Turns every call of a <c>[MonitorOperation]</c> method (or a public method of a <c>[MonitorComponent]</c> type),
/// declared in source or in a referenced assembly, and every call of a model, tool or agent API, into a call of a
/// generated interceptor that times it, counts it, records its outcome and reads its tokens. One generated file per
/// source file with such calls, and one with the helpers they share.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class InterceptorGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps, for incrementality tests.</summary>
    public static class Steps
    {
        public const string CallSites = nameof(CallSites);
        public const string Enabled = nameof(Enabled);
        public const string ConfiguredApis = nameof(ConfiguredApis);
        public const string ConfiguredCallSites = nameof(ConfiguredCallSites);
        public const string Files = nameof(Files);
        public const string Helpers = nameof(Helpers);
        public const string Features = nameof(Features);
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Without the namespace enabled, generated interceptors would only add compiler errors; MARAN005 explains instead.
        IncrementalValueProvider<Switches> enabled = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => (Enabled: IsOn(options.GlobalOptions, EnabledProperty), ModelCalls: IsOn(options.GlobalOptions, ModelCallsProperty)))
            .Combine(context.ParseOptionsProvider.Select(static (options, _) => InterceptorsNamespace.IsEnabledIn(options)))
            .Select(static (both, _) => new Switches(both.Left.Enabled && both.Right, both.Left.ModelCalls))
            .WithTrackingName(Steps.Enabled);

        // The driver re-runs every semantic transform of a syntax provider on each edit (a new compilation), and each
        // pipeline item costs it bookkeeping on every edit: so there is no node per file, and one step over the
        // compilation finds the calls of all its trees, giving each unchanged file its answer kept under the
        // compilation's declaration key without binding anything (see CallSiteParser.Parse).
        IncrementalValueProvider<EquatableArray<CallSiteModel>> callSites = context.CompilationProvider
            .Select(static (compilation, cancellationToken) => CallSiteParser.Parse(compilation, cancellationToken))
            .WithTrackingName(Steps.CallSites);

        // The model APIs a global analyzer config lists. Only when it lists some are their calls looked for, in the files
        // that call one of their names; otherwise this step returns nothing on each edit.
        IncrementalValueProvider<ConfiguredModelApis> configured = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => ConfiguredModelApis.Parse(options.GlobalOptions.TryGetValue(ConfiguredModelApis.OptionName, out string? value) ? value : null))
            .WithTrackingName(Steps.ConfiguredApis);
        IncrementalValueProvider<EquatableArray<CallSiteModel>> configuredCallSites = context.CompilationProvider
            .Combine(configured)
            .Select(static (input, cancellationToken) => CallSiteParser.ParseConfigured(input.Left, input.Right, cancellationToken).ToEquatableArray())
            .WithTrackingName(Steps.ConfiguredCallSites);

        IncrementalValueProvider<EquatableArray<InterceptorFileModel>> grouped = callSites
            .Combine(configuredCallSites)
            .Combine(enabled)
            .Select(static (input, _) => input.Right.Enabled
                ? GroupByFile(input.Left.Left.AsImmutableArray().AddRange(input.Left.Right.AsImmutableArray()), input.Right.ModelCalls)
                : EquatableArray<InterceptorFileModel>.Empty);
        IncrementalValuesProvider<InterceptorFileModel> files = grouped
            .SelectMany(static (files, _) => files.AsImmutableArray())
            .WithTrackingName(Steps.Files);
        context.RegisterSourceOutput(files, static (output, file) => output.AddSource(file.HintName, InterceptorEmitter.Emit(file)));

        // What the interceptors share is written once, in a file of its own; an edit that changes no call's target leaves
        // it equal, so it is not written again.
        IncrementalValueProvider<HelpersModel> helpers = grouped
            .Select(static (files, _) => HelpersEmitter.Plan(files))
            .WithTrackingName(Steps.Helpers);
        context.RegisterPostInitializationOutput(static output => output.AddEmbeddedAttributeDefinition());
        context.RegisterSourceOutput(helpers, static (output, model) =>
        {
            if (!model.IsEmpty)
            {
                output.AddSource(HelpersEmitter.HintName, HelpersEmitter.Emit(model));
            }
        });

        // The feature packages among the references are registered by a module initializer, interception on or off.
        context.RegisterSourceOutput(
            context.CompilationProvider.Select(static (compilation, _) => FeatureRegistrationEmitter.FindFeatures(compilation)).WithTrackingName(Steps.Features),
            static (output, features) =>
            {
                if (features.Length > 0)
                {
                    output.AddSource(FeatureRegistrationEmitter.HintName, FeatureRegistrationEmitter.Emit(features));
                }
            });
    }

    /// <summary>MSBuild switch for all interception (<c>MaranInstrumentEnabled</c>, default true).</summary>
    internal const string EnabledProperty = "build_property.MaranInstrumentEnabled";

    /// <summary>MSBuild switch for model, tool and agent calls (<c>MaranInstrumentModelCalls</c>, default true).</summary>
    internal const string ModelCallsProperty = "build_property.MaranInstrumentModelCalls";

    private static bool IsOn(AnalyzerConfigOptions options, string property) =>
        !options.TryGetValue(property, out string? value)
        || !string.Equals(value?.Trim(), "false", StringComparison.OrdinalIgnoreCase);

    // With model calls on, a monitored method whose body makes them leaves its result's tokens to them; with them off,
    // only monitored methods are intercepted, reading their results as before.
    private static EquatableArray<InterceptorFileModel> GroupByFile(ImmutableArray<CallSiteModel> callSites, bool modelCalls) =>
        callSites
            .Where(c => modelCalls || c.Method.Kind == CallKind.Operation)
            .Select(c => modelCalls && c.Method.HasInnerModelCalls ? c with { Method = c.Method with { Usage = null } } : c)
            .GroupBy(c => c.FilePath, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new InterceptorFileModel(g.Key, HintName(g.Key), g.OrderBy(c => c.Position).ToEquatableArray()))
            .ToEquatableArray();

    /// <summary>The build's switches: interception as a whole, and model, tool and agent calls.</summary>
    private sealed record Switches(bool Enabled, bool ModelCalls);

    // Every edit groups the calls of every file again, so each file's hint name (a SHA-256 of its path) is kept by path.
    // Bounded: cleared past this many paths.
    private const int MaxHintNamesKept = 16384;
    private static readonly ConcurrentDictionary<string, string> s_hintNames = new(StringComparer.Ordinal);

    // Hint names this thread computed (not found kept): what an edit cost, for the incrementality tests.
    [ThreadStatic]
    private static long t_hintNamesComputed;

    /// <summary>How many hint names this thread has computed (a file path hashed again, not reused).</summary>
    internal static long HintNamesComputed => t_hintNamesComputed;

    private static string HintName(string filePath)
    {
        if (s_hintNames.TryGetValue(filePath, out string? kept))
        {
            return kept;
        }

        if (s_hintNames.Count >= MaxHintNamesKept)
        {
            s_hintNames.Clear();
        }

        t_hintNamesComputed++;
        return s_hintNames[filePath] = ComputeHintName(filePath);
    }

    // Readable and unique: the source file's name plus a short hash of its full path.
    private static string ComputeHintName(string filePath)
    {
        string name = Path.GetFileNameWithoutExtension(filePath);
        var safe = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            safe.Append(char.IsLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '_');
        }

        using var sha = SHA256.Create();
        byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(filePath));
        string suffix = string.Concat(hash.Take(4).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        return $"{safe}.{suffix}.Maran.g.cs";
    }
}
