using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ChatLoop.Load;

/// <summary>
/// The servers a run connects to: one from --host/--port, or the nodes of a cluster from
/// --hosts host:port,host:port,... (an IPv6 address in brackets: [::1]:5000). Every name is
/// resolved once, before the run.
/// </summary>
internal static class ServerList
{
    public const string DefaultHost = "127.0.0.1";

    public static bool TryCreate(string? host, int? port, string? hosts, out IPEndPoint[] servers, out string? error)
    {
        servers = [];
        if (hosts is null)
        {
            error = port is null ? "give --port (or --hosts host:port,...)" : null;
            return error is null && TryAdd(host ?? DefaultHost, port!.Value, "--port", ref servers, ref error);
        }

        if (host is not null || port is not null)
        {
            error = "give --host/--port or --hosts, not both";
            return false;
        }

        error = null;
        foreach (var item in hosts.Split(','))
        {
            var entry = item.Trim();
            int colon = entry.LastIndexOf(':');
            if (colon < 1 || !int.TryParse(entry.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int p))
            {
                error = $"--hosts: '{entry}' is not host:port";
                return false;
            }

            string name = entry[..colon];
            if (name.StartsWith('[') && name.EndsWith(']'))
            {
                name = name[1..^1];
            }

            if (!TryAdd(name, p, $"--hosts: '{entry}':", ref servers, ref error))
            {
                return false;
            }
        }

        if (servers.Distinct().Count() != servers.Length)
        {
            error = "--hosts names one server twice";
            return false;
        }

        return true;
    }

    private static bool TryAdd(string host, int port, string what, ref IPEndPoint[] servers, ref string? error)
    {
        if (port is < 1 or > 65535)
        {
            error = $"{what} port must be 1 to 65535";
            return false;
        }

        var address = Resolve(host);
        if (address is null)
        {
            error = $"cannot resolve host '{host}'";
            return false;
        }

        servers = [.. servers, new IPEndPoint(address, port)];
        return true;
    }

    private static IPAddress? Resolve(string host)
    {
        if (IPAddress.TryParse(host, out var address))
        {
            return address;
        }

        try
        {
            var all = Dns.GetHostAddresses(host);
            return Array.Find(all, a => a.AddressFamily == AddressFamily.InterNetwork) ?? all.FirstOrDefault();
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
