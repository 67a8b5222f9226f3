using System.Net;

namespace ChatLoop.Web;

/// <summary>The gateway's settings, validated: all the rest of the gateway sees.</summary>
public sealed record WebSettings
{
    public int Port { get; init; }

    public IPAddress Bind { get; init; } = IPAddress.Loopback;

    public IReadOnlyList<DnsEndPoint> Servers { get; init; } = [];

    public IReadOnlyList<string> AllowOrigins { get; init; } = [];

    public int MaxMessageBytes { get; init; } = 65536;

    public int MaxBlockBytes { get; init; } = 131072;

    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public int MaxConnections { get; init; } = 4096;

    /// <summary>Validates the command line; a bad value throws <see cref="ArgumentException"/> with the one line to show.</summary>
    public static WebSettings From(WebOptions o)
    {
        if (o.Port is < 0 or > 65535)
        {
            throw new ArgumentException("HTTP_PORT must be a number from 0 to 65535");
        }

        if (!IPAddress.TryParse(o.Bind, out var bind))
        {
            throw new ArgumentException($"--bind '{o.Bind}' is not an IP address");
        }

        var servers = o.Servers.Where(s => s.Length > 0).Select(ParseServer).ToList();
        if (servers.Count == 0)
        {
            throw new ArgumentException("--server HOST:PORT is required, e.g. --server 127.0.0.1:5000");
        }

        var origins = o.AllowOrigins.Where(s => s.Length > 0).Select(ParseOrigin).ToList();
        Require(o.MaxMessageBytes is >= 1024 and <= 16 * 1024 * 1024, "--max-message-bytes must be from 1024 to 16777216");
        Require(o.MaxBlockBytes is >= 1024 and <= 16 * 1024 * 1024, "--max-block-bytes must be from 1024 to 16777216");
        Require(o.SendTimeoutS is > 0 and <= 86400, "--send-timeout-s must be more than 0 and at most 86400");
        Require(o.ConnectTimeoutMs is >= 1 and <= 60000, "--connect-timeout-ms must be from 1 to 60000");
        Require(o.MaxConnections is >= 1 and <= 100000, "--max-connections must be from 1 to 100000");
        return new WebSettings
        {
            Port = o.Port,
            Bind = bind,
            Servers = servers,
            AllowOrigins = origins,
            MaxMessageBytes = o.MaxMessageBytes,
            MaxBlockBytes = o.MaxBlockBytes,
            SendTimeout = TimeSpan.FromSeconds(o.SendTimeoutS),
            ConnectTimeout = TimeSpan.FromMilliseconds(o.ConnectTimeoutMs),
            MaxConnections = o.MaxConnections,
        };
    }

    /// <summary>HOST:PORT, HOST a name or an address ([::1]:5000 for IPv6).</summary>
    public static DnsEndPoint ParseServer(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out int port) || port is < 1 or > 65535)
        {
            throw new ArgumentException($"--server '{text}' is not HOST:PORT (a port from 1 to 65535)");
        }

        var host = text[..colon].Trim('[', ']');
        if (host.Length == 0)
        {
            throw new ArgumentException($"--server '{text}' has no host");
        }

        return new DnsEndPoint(host, port);
    }

    private static string ParseOrigin(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/")
        {
            throw new ArgumentException($"--allow-origin '{text}' is not an origin such as http://chat.example:8080");
        }

        return uri.GetLeftPart(UriPartial.Authority);
    }

    private static void Require(bool ok, string message)
    {
        if (!ok)
        {
            throw new ArgumentException(message);
        }
    }
}
