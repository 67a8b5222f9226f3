using Microsoft.AspNetCore.Http;

namespace ChatLoop.Web;

/// <summary>
/// A browser sends the page's origin with every WebSocket it opens; only the gateway's own page (and the
/// origins allowed by --allow-origin) may relay, so another site open in the same browser cannot chat,
/// or read the chat, in its user's name. A client that is not a browser sends no Origin and is let in: it
/// could as well open the TCP connection itself.
/// </summary>
public static class OriginCheck
{
    public static bool Allowed(HttpRequest request, IReadOnlyList<string> allowed)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        var own = $"{request.Scheme}://{request.Host.Value}";
        return string.Equals(origin, own, StringComparison.OrdinalIgnoreCase)
            || allowed.Any(a => string.Equals(origin, a, StringComparison.OrdinalIgnoreCase));
    }
}
