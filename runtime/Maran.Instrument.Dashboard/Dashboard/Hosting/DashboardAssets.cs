using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Maran.Instrument.Dashboard;

/// <summary>
/// The page, its scripts and styles and the charting library, read once from this assembly's embedded resources
/// (<c>dashboard/...</c>) and served with an ETag: nothing is loaded from disk or from another site.
/// </summary>
internal sealed class DashboardAssets
{
    private const string Prefix = "dashboard/";

    private static readonly Lazy<DashboardAssets> s_embedded = new(() => new DashboardAssets(typeof(DashboardAssets).Assembly));

    private readonly Dictionary<string, Asset> _assets = new(StringComparer.Ordinal);

    private DashboardAssets(Assembly assembly)
    {
        foreach (string name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            using Stream stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            byte[] bytes = copy.ToArray();
            string path = name[Prefix.Length..].Replace('\\', '/');
            string etag = $"\"{Convert.ToHexString(SHA256.HashData(bytes), 0, 8)}\"";
            _assets[path] = new Asset(bytes, ContentType(path), etag);
        }
    }

    /// <summary>The assets embedded in this assembly.</summary>
    public static DashboardAssets Embedded => s_embedded.Value;

    /// <summary>Writes the asset at <paramref name="path"/> (304 when the client has it, 404 when there is none).</summary>
    public async Task ServeAsync(HttpContext context, string path)
    {
        if (!_assets.TryGetValue(path, out Asset? asset))
        {
            await DashboardResponses.TextAsync(context, StatusCodes.Status404NotFound, "No such file.").ConfigureAwait(false);
            return;
        }

        context.Response.Headers.ETag = asset.ETag;
        context.Response.Headers.CacheControl = "no-cache";
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        context.Response.ContentType = asset.ContentType;
        context.Response.ContentLength = asset.Bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(asset.Bytes, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static string ContentType(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => "text/plain; charset=utf-8",
    };

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);
}
