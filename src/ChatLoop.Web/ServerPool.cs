using System.Net;
using System.Net.Sockets;

namespace ChatLoop.Web;

/// <summary>
/// The ChatLoop servers behind the gateway. Each browser connection takes the next one in turn; one that
/// cannot be reached is passed over for the next, so a dead node of a cluster costs a reconnect, not the page.
/// </summary>
public sealed class ServerPool
{
    private readonly IReadOnlyList<DnsEndPoint> _servers;
    private readonly TimeSpan _connectTimeout;
    private int _next = -1;

    public ServerPool(IReadOnlyList<DnsEndPoint> servers, TimeSpan connectTimeout)
    {
        _servers = servers;
        _connectTimeout = connectTimeout;
    }

    public static string Show(DnsEndPoint server) => $"{server.Host}:{server.Port}";

    /// <summary>A connected socket to the next server that answers, or null and why none did.</summary>
    public async Task<(Socket? Socket, DnsEndPoint Server, string? Why)> ConnectAsync(CancellationToken ct)
    {
        int first = Interlocked.Increment(ref _next);
        string? why = null;
        var server = _servers[0];
        for (int i = 0; i < _servers.Count; i++)
        {
            server = _servers[(int)((uint)(first + i) % (uint)_servers.Count)];
            var (socket, error) = await TryConnectAsync(server, _connectTimeout, ct).ConfigureAwait(false);
            if (socket is not null)
            {
                return (socket, server, null);
            }

            why = why is null ? $"{Show(server)}: {error}" : $"{why}; {Show(server)}: {error}";
        }

        return (null, server, why);
    }

    /// <summary>Connects to each server once and closes again: the start-up check. Returns the first failure, or null.</summary>
    public async Task<string?> CheckAllAsync(CancellationToken ct)
    {
        foreach (var server in _servers)
        {
            var (socket, error) = await TryConnectAsync(server, _connectTimeout, ct).ConfigureAwait(false);
            if (socket is null)
            {
                return $"cannot reach the ChatLoop server at {Show(server)} (--server): {error}";
            }

            socket.Dispose();
        }

        return null;
    }

    private static async Task<(Socket?, string)> TryConnectAsync(DnsEndPoint server, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(server.Host, out var ip) ? [ip] : await Dns.GetHostAddressesAsync(server.Host, cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return (null, $"cannot resolve {server.Host}");
        }

        string error = "no address";
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, server.Port), cts.Token).ConfigureAwait(false);
                return (socket, "");
            }
            catch (SocketException e)
            {
                error = e.SocketErrorCode == SocketError.ConnectionRefused ? "connection refused" : e.Message;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                error = $"no answer within {timeout.TotalMilliseconds:0} ms";
            }

            socket.Dispose();
        }

        return (null, error);
    }
}
