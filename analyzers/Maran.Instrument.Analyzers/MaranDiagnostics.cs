using Microsoft.CodeAnalysis;

namespace Maran.Instrument.Analyzers;

/// <summary>The rules of Maran.Instrument, one descriptor each; every one links to its page under docs/diagnostics.</summary>
internal static class MaranDiagnostics
{
    public const string UnmonitoredModelCallId = "MARAN001";
    public const string UnreachableCallId = "MARAN002";
    public const string InvalidOperationArgumentId = "MARAN003";
    public const string DuplicateOperationId = "MARAN004";
    public const string InterceptorsNotEnabledId = "MARAN005";
    public const string NotInterceptableId = "MARAN006";
    public const string SwallowedExceptionId = "MARAN007";
    public const string RazorCallId = "MARAN008";
    public const string InvalidModelApiEntryId = "MARAN009";

    private const string Category = "Monitoring";
    private const string HelpRoot = "https://github.com/maran-instrument/maran-instrument/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor UnmonitoredModelCall = new(
        UnmonitoredModelCallId,
        title: "Model call outside any monitored operation",
        messageFormat: "'{0}' calls a model outside any monitored operation: {1}",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A call of a known inference API (or one declared with [ModelApi] or [ModelCall]) is made from a method that carries no [MonitorOperation], sits in no [MonitorComponent] type, and is not inside a using of profiler.Operation(...). The generated interceptor still measures the call, but its time, tokens and cost are added to no operation of the application.",
        helpLinkUri: HelpRoot + UnmonitoredModelCallId + ".md");

    public static readonly DiagnosticDescriptor UnreachableCall = new(
        UnreachableCallId,
        title: "Monitored method used where interception cannot reach it",
        messageFormat: "{0}, so this call is not timed",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Interceptors replace direct calls only. A monitored method converted to a delegate (other than for AIFunctionFactory.Create, whose tools are measured when they run), called through an interface or base method that carries no attribute, called as base.M(), on a type parameter, or inside an expression tree runs unmonitored.",
        helpLinkUri: HelpRoot + UnreachableCallId + ".md");

    public static readonly DiagnosticDescriptor InvalidOperationArgument = new(
        InvalidOperationArgumentId,
        title: "Invalid operation name or component",
        messageFormat: "{0}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Operation names and components become metric labels: they must be non-empty constants made of ASCII letters, digits, '_', '.', '-' or '/'. An empty or null one leaves the method unmonitored.",
        helpLinkUri: HelpRoot + InvalidOperationArgumentId + ".md");

    public static readonly DiagnosticDescriptor DuplicateOperation = new(
        DuplicateOperationId,
        title: "Two methods monitored under the same name and component",
        messageFormat: "Operation '{0}' of component '{1}' is also monitored on '{2}'; the calls of both are counted as one operation",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Two different methods (not overloads, overrides or implementations of one another) share one operation, so their counts, durations and errors are merged and only one of them is named.",
        helpLinkUri: HelpRoot + DuplicateOperationId + ".md",
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor InterceptorsNotEnabled = new(
        InterceptorsNotEnabledId,
        title: "Interceptors are not enabled for Maran.Instrument.Generated",
        messageFormat: "This project makes {0} monitored call(s), but interceptors are not enabled for the namespace 'Maran.Instrument.Generated', so none of them is measured",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The Maran.Instrument package's build targets add Maran.Instrument.Generated to InterceptorsNamespaces. When they are missing or the property is replaced, the generated interceptors are not applied.",
        helpLinkUri: HelpRoot + InterceptorsNotEnabledId + ".md",
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor NotInterceptable = new(
        NotInterceptableId,
        title: "Monitored method cannot be intercepted",
        messageFormat: "'{0}' is monitored but its calls cannot be intercepted: {1}",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The generator intercepts ordinary methods only, and only those the generated code can name and reach; the calls of any other monitored method run unmonitored.",
        helpLinkUri: HelpRoot + NotInterceptableId + ".md");

    public static readonly DiagnosticDescriptor SwallowedException = new(
        SwallowedExceptionId,
        title: "Exception swallowed inside a monitored operation",
        messageFormat: "This catch in monitored '{0}' neither rethrows nor records the exception, so the operation counts as a success and the failure appears in no error count",
        Category,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "A catch clause in a method monitored by [MonitorOperation] or [MonitorComponent] ends without rethrowing (throw;, throw ex, or a new exception that wraps it) and without recording the exception (OperationHandle.Fail, OperationToken.Fail, ErrorTracker.TrackError, or ILogger.Log* with the exception).",
        helpLinkUri: HelpRoot + SwallowedExceptionId + ".md");

    public static readonly DiagnosticDescriptor RazorCall = new(
        RazorCallId,
        title: "Monitored method or model API called from Razor markup",
        messageFormat: "'{0}' is called from '{1}', whose C# the Razor generator writes where Maran.Instrument's generator cannot see it, so this call is not measured; call it from a method in a .cs file (a code-behind partial class), or time it with profiler.Operation(...)",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Source generators do not see each other's output: a call written in a .razor or .cshtml file (in markup or in an @code block) is never intercepted. The analyzer sees the Razor generator's output and reports such calls at their place in the markup.",
        helpLinkUri: HelpRoot + RazorCallId + ".md");

    public static readonly DiagnosticDescriptor InvalidModelApiEntry = new(
        InvalidModelApiEntryId,
        title: "maran_instrument.model_apis entry that names no method",
        messageFormat: "The maran_instrument.model_apis entry '{0}' declares no model API: {1}",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "maran_instrument.model_apis, read from the project's global analyzer config (.globalconfig, or an .editorconfig with is_global = true), lists methods whose calls are model calls: Namespace.Type.Method or Namespace.Type.* (metadata names, Outer+Inner, Client`1). An entry that is malformed, or whose type or method this compilation does not have, is ignored by the generator and by MARAN001. A value set in an .editorconfig section is not read at all.",
        helpLinkUri: HelpRoot + InvalidModelApiEntryId + ".md",
        WellKnownDiagnosticTags.CompilationEnd);
}
