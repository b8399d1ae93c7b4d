using Microsoft.Extensions.DependencyInjection;

namespace Maran.Instrument.Hosting;

/// <summary>What <c>services.AddMaranMonitoring()</c> returns: feature packages add themselves to it with extension methods.</summary>
public interface IMaranBuilder
{
    /// <summary>The application's services, where the monitoring system and its features are registered.</summary>
    IServiceCollection Services { get; }
}

/// <inheritdoc/>
internal sealed class MaranBuilder(IServiceCollection services) : IMaranBuilder
{
    /// <inheritdoc/>
    public IServiceCollection Services { get; } = services;
}
