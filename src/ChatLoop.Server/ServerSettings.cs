using System.Net;
using ChatLoop.Server.Polling;

namespace ChatLoop.Server;

/// <summary>Everything the core sees of the command line: immutable, validated, with the defaults people get.</summary>
public sealed record ServerSettings
{
    public int Port { get; init; }
    public IPAddress Bind { get; init; } = IPAddress.Any;
    public string StudentId { get; init; } = "17313056";
    public KillServicePolicy KillService { get; init; } = KillServicePolicy.Loopback;

    /// <summary>CHAT bodies end after this long with no input following a complete line; zero turns it off.</summary>
    public TimeSpan MessageIdle { get; init; } = TimeSpan.FromMilliseconds(250);

    public int MaxClients { get; init; } = DefaultMaxClients();
    public int MaxLineBytes { get; init; } = 8 * 1024;
    public int MaxRequestBytes { get; init; } = 64 * 1024;

    /// <summary>The hard cap: bytes queued for one client beyond which it is too slow (ERROR 10) and is cut off at once.</summary>
    public int MaxOutboundBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// The backpressure mark. While this much is queued for a client, its input is not read (it throttles itself),
    /// and, while it is draining its queue (<see cref="DrainWindow"/>), the senders in its rooms are not read either.
    /// </summary>
    public int BackpressureBytes { get; init; } = 256 * 1024;

    /// <summary>
    /// The soft limit, in time: a client for which a queued byte has waited this long (it reads too little, or
    /// nothing) is too slow (ERROR 10) and is cut off. This also bounds how long a slow reader can hold its rooms back.
    /// </summary>
    public TimeSpan MaxLag { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A client past the backpressure mark counts as draining, and holds its rooms' senders back, only while its
    /// socket has taken bytes within this long; one that has stopped reading holds nobody back after it.
    /// </summary>
    public TimeSpan DrainWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Bytes one tick may queue for all clients together before the remaining requests wait for the next
    /// tick. Measured with fanbench's bigroom (one room of 500): 3.1 M deliveries/s unbounded, 4.1-4.3 M
    /// at 8 MiB, because the clients read one piece while the server builds the next.
    /// </summary>
    public long TickBudgetBytes { get; init; } = 8 * 1024 * 1024;

    public int MaxRoomsPerClient { get; init; } = 256;
    public int MaxRooms { get; init; } = 65_536;

    /// <summary>A request begun and not finished for this long: ERROR 11.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A connection that has never joined a room and has sent no request for this long: ERROR 11 (PROTOCOL.md §2.7).</summary>
    public TimeSpan JoinTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>How long a closing connection may take to read what is left for it before the socket is closed.</summary>
    public TimeSpan CloseGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The port /metrics is served on (Prometheus text format), or null for none; 0 picks a free port.</summary>
    public int? MetricsPort { get; init; }

    /// <summary>The address /metrics listens on: loopback unless an operator opens it wider.</summary>
    public IPAddress MetricsBind { get; init; } = IPAddress.Loopback;

    /// <summary>Connections accepted in one tick at most, so a connect storm cannot starve the clients already served.</summary>
    public int AcceptsPerTick { get; init; } = 256;

    /// <summary>The cluster's Redis (a StackExchange.Redis configuration string); null for a single node.</summary>
    public string? Redis { get; init; }

    /// <summary>Cluster: a node whose liveness key has been gone this long is reaped (its members leave).</summary>
    public TimeSpan NodeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Cluster: how long a request may wait for the backplane before ERROR 12; Redis drops it past this deadline.</summary>
    public TimeSpan RedisTimeout { get; init; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>How the reactor waits for socket events: Select (poll(), everywhere) or epoll (Linux).</summary>
    public PollerKind Poller { get; init; } = PollerKind.Select;

    /// <summary>
    /// The reactor's one receive buffer, shared by every connection (so its size costs nothing per client):
    /// one Receive takes at most this much. 64 KiB is the default longest request, so such a request
    /// arrives in one read, and it is more than a socket's receive queue usually holds between two ticks.
    /// </summary>
    public int ReceiveBufferBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// After an accept fails (out of file descriptors), the listener is not watched for this long: long
    /// enough that a listener that stays readable does not make every tick a failed accept, short enough
    /// that a descriptor freed by a closing client is used soon.
    /// </summary>
    public TimeSpan AcceptPause { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Connections the kernel completes and queues before the reactor accepts them (capped by
    /// net.core.somaxconn, 4096 by default since Linux 5.4): a storm of thousands connecting at once
    /// (compare.sh storm: 5000, 1000 at a time) waits here while each tick accepts <see cref="AcceptsPerTick"/>.
    /// </summary>
    public int ListenBacklog { get; init; } = 4096;

    /// <summary>The soft limit on open files, less a reserve for the listener, logs and sockets still closing.</summary>
    public static int DefaultMaxClients()
    {
        const int reserve = 64;
        try
        {
            foreach (var line in File.ReadLines("/proc/self/limits"))
            {
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    var parts = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length > 0 && long.TryParse(parts[0], out var soft))
                    {
                        return (int)Math.Clamp(soft - reserve, 1, 1_000_000);
                    }
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return 1000;
    }
}
