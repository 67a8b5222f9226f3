using CommandLine;

namespace ChatLoop.Client;

/// <summary>The command line as CommandLineParser sees it; <see cref="ClientCli"/> validates it into <see cref="ClientSettings"/>.</summary>
public sealed class ClientOptions
{
    [Option("host", Default = "localhost", HelpText = "Host name or address of the ChatLoop server.")]
    public string Host { get; set; } = "localhost";

    [Option('p', "port", Default = 5000, HelpText = "TCP port of the ChatLoop server (1-65535).")]
    public int Port { get; set; } = 5000;

    [Option('n', "name", Required = true, HelpText = "Your name in the chat: 1 to 64 bytes of UTF-8, no control characters.")]
    public string Name { get; set; } = "";

    [Option("connect-timeout", Default = 5.0, HelpText = "Seconds to wait for the connection to the server.")]
    public double ConnectTimeoutSeconds { get; set; } = 5.0;

    [Option("quit-wait", Default = 2.0, HelpText = "Seconds to wait, after /quit, for the leave notices and the server's close.")]
    public double QuitWaitSeconds { get; set; } = 2.0;

    [Option("plain", Default = false, HelpText = "Read and print plain lines even on a terminal (no line editor).")]
    public bool Plain { get; set; }
}
