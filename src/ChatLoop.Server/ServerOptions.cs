using CommandLine;

namespace ChatLoop.Server;

/// <summary>The command line, as CommandLineParser reads it; <see cref="SettingsFactory"/> validates it into <see cref="ServerSettings"/>.</summary>
public sealed class ServerOptions
{
    [Value(0, MetaName = "PORT", Required = true, HelpText = "TCP port to listen on (1-65535; 0 picks a free port).")]
    public int Port { get; set; }

    [Option("bind", Default = "0.0.0.0", HelpText = "Address to listen on (0.0.0.0 = all IPv4, :: = all IPv4 and IPv6).")]
    public string Bind { get; set; } = "0.0.0.0";

    [Option("student-id", Default = "17313056", HelpText = "StudentID sent in the HELO reply.")]
    public string StudentId { get; set; } = "17313056";

    [Option("kill-service", Default = "loopback", HelpText = "Who may stop the server with KILL_SERVICE: loopback, any or off.")]
    public string KillService { get; set; } = "loopback";

    [Option("message-idle-ms", Default = 250, HelpText = "A last line sent without its line end, or a CHAT message sent in one burst with no blank line, ends after this many ms of silence (0 = off); a CHAT typed line by line ends at its blank line.")]
    public int MessageIdleMs { get; set; } = 250;

    [Option("max-clients", HelpText = "Most clients at once; past it: ERROR 9. (Default: the open-file limit - 64; 0 means the same.)")]
    public int MaxClients { get; set; }

    [Option("max-line-bytes", Default = 8192, HelpText = "Longest request line; past it: ERROR 3 and close.")]
    public int MaxLineBytes { get; set; } = 8192;

    [Option("max-request-bytes", Default = 65536, HelpText = "Longest request (all its lines); past it: ERROR 3 and close.")]
    public int MaxRequestBytes { get; set; } = 65536;

    [Option("max-outbound-bytes", Default = 1048576, HelpText = "Hard cap: bytes queued for one client; past it: ERROR 10 and close at once.")]
    public int MaxOutboundBytes { get; set; } = 1048576;

    [Option("backpressure-bytes", Default = 262144, HelpText = "While this much is queued for a client, its input is not read; while it drains that queue, senders into its rooms are not read either.")]
    public int BackpressureBytes { get; set; } = 262144;

    [Option("max-lag-s", Default = 10.0, HelpText = "A client for which queued bytes have waited this long (it reads too little): ERROR 10 and close.")]
    public double MaxLagS { get; set; } = 10;

    [Option("drain-window-ms", Default = 1000, HelpText = "A client behind on its queue holds its rooms' senders back only while its socket has taken bytes within this many ms.")]
    public int DrainWindowMs { get; set; } = 1000;

    [Option("tick-budget-bytes", Default = 8388608L, HelpText = "Bytes one tick may queue for all clients before the rest waits for the next tick.")]
    public long TickBudgetBytes { get; set; } = 8388608;

    [Option("max-rooms-per-client", Default = 256, HelpText = "Rooms one client may be in; past it: ERROR 7.")]
    public int MaxRoomsPerClient { get; set; } = 256;

    [Option("max-rooms", Default = 65536, HelpText = "Rooms on the server; when full, the least recently used empty room is forgotten, else ERROR 7.")]
    public int MaxRooms { get; set; } = 65536;

    [Option("request-timeout-s", Default = 60.0, HelpText = "A request left unfinished this long: ERROR 11 and close.")]
    public double RequestTimeoutS { get; set; } = 60;

    [Option("join-timeout-s", Default = 300.0, HelpText = "A connection that has never joined a room and sent no request for this long: ERROR 11 and close.")]
    public double JoinTimeoutS { get; set; } = 300;

    [Option("redis", Default = null, HelpText = "Join a cluster through this Redis (a StackExchange.Redis configuration, e.g. 127.0.0.1:6379; with a replica and Sentinel, the Sentinels and the service, e.g. \"127.0.0.1:26379,serviceName=mymaster\": a failover is followed by itself); unset = a single node.")]
    public string? Redis { get; set; }

    [Option("node-timeout-s", Default = 10.0, HelpText = "Cluster: a node silent this long is dead; its clients leave their rooms.")]
    public double NodeTimeoutS { get; set; } = 10;

    [Option("redis-timeout-ms", Default = 1000, HelpText = "Cluster: a JOIN, LEAVE or CHAT the backplane has not taken this long gets ERROR 12 and is never carried out.")]
    public int RedisTimeoutMs { get; set; } = 1000;

    [Option("metrics-port", HelpText = "Serve Prometheus metrics at http://METRICS-BIND:PORT/metrics (off unless given).")]
    public int? MetricsPort { get; set; }

    [Option("metrics-bind", Default = "127.0.0.1", HelpText = "Address /metrics listens on (loopback by default; 0.0.0.0 for every interface).")]
    public string MetricsBind { get; set; } = "127.0.0.1";

    [Option("poller", Default = "select", HelpText = "How to wait for socket events. select: poll() over every socket each tick, about 150 us a tick at 1,000 clients; the default, everywhere. epoll (Linux): a wait costs only what is ready; pick it for thousands of clients or the lowest latency.")]
    public string Poller { get; set; } = "select";

    [Option("log-level", Default = "info", HelpText = "Least level logged: trace, debug, info, warn, error or off.")]
    public string LogLevel { get; set; } = "info";
}
