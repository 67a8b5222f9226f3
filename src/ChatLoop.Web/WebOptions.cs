using CommandLine;

namespace ChatLoop.Web;

/// <summary>The command line, as CommandLineParser reads it; <see cref="WebSettings.From"/> validates it.</summary>
public sealed class WebOptions
{
    [Value(0, MetaName = "HTTP_PORT", Required = true, HelpText = "Port the page and its WebSocket are served on (0 picks a free one).")]
    public int Port { get; set; }

    [Option("server", Required = true, Separator = ',', HelpText = "ChatLoop server(s) as HOST:PORT; several (--server a:1,b:2 or repeated) are used round-robin, one per browser connection.")]
    public IEnumerable<string> Servers { get; set; } = [];

    [Option("bind", Default = "127.0.0.1", HelpText = "Address the page is served on (0.0.0.0 to let other machines in).")]
    public string Bind { get; set; } = "127.0.0.1";

    [Option("allow-origin", Separator = ',', HelpText = "Extra page origins (scheme://host:port) allowed to open the WebSocket; the gateway's own origin always is.")]
    public IEnumerable<string> AllowOrigins { get; set; } = [];

    [Option("max-message-bytes", Default = 65536, HelpText = "Largest WebSocket message a browser may send; past it: ERROR 3 and close, as the server does for a request too long.")]
    public int MaxMessageBytes { get; set; } = 65536;

    [Option("max-block-bytes", Default = 131072, HelpText = "Largest block taken from the server (its receive buffer); a larger one closes the connection.")]
    public int MaxBlockBytes { get; set; } = 131072;

    [Option("send-timeout-s", Default = 10.0, HelpText = "A browser that has not taken a message this long (it stopped reading) is cut off.")]
    public double SendTimeoutS { get; set; } = 10;

    [Option("connect-timeout-ms", Default = 3000, HelpText = "How long to wait for a server to accept a connection before trying the next.")]
    public int ConnectTimeoutMs { get; set; } = 3000;

    [Option("max-connections", Default = 4096, HelpText = "Browser connections at once (each is one TCP connection to a server); past it: HTTP 503.")]
    public int MaxConnections { get; set; } = 4096;

    [Option("log-level", Default = "info", HelpText = "trace, debug, info, warn, error or off.")]
    public string LogLevel { get; set; } = "info";
}
