using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace ChatLoop.Web;

/// <summary>The page: plain HTML, CSS and JavaScript embedded in this assembly (page/), served as they are.</summary>
public static class PageFiles
{
    private static readonly Dictionary<string, (byte[] Bytes, string Type)> Files = Load();

    public static async Task Serve(HttpContext http, string? file)
    {
        if (!Files.TryGetValue(file ?? "index.html", out var page))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var headers = http.Response.Headers;
        headers.ContentType = page.Type;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'self'; connect-src 'self' ws: wss:; frame-ancestors 'none'";
        await http.Response.Body.WriteAsync(page.Bytes).ConfigureAwait(false);
    }

    private static Dictionary<string, (byte[], string)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("page/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name["page/".Length..]] = (copy.ToArray(), TypeOf(name));
        }

        return files;
    }

    private static string TypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };
}
