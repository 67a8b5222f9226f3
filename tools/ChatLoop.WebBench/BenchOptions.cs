using CommandLine;

namespace ChatLoop.WebBench;

/// <summary>The command line of the gateway's cost measurement.</summary>
public sealed class BenchOptions
{
    [Option("server", Required = true, HelpText = "The ChatLoop server, HOST:PORT: the straight TCP run goes here.")]
    public string Server { get; set; } = "";

    [Option("gateway", Required = true, HelpText = "The web gateway's WebSocket, e.g. ws://127.0.0.1:8080/ws, relaying to the same server.")]
    public string Gateway { get; set; } = "";

    [Option("clients", Default = 40, HelpText = "Clients in each run (1 to 2000).")]
    public int Clients { get; set; } = 40;

    [Option("room-size", Default = 5, HelpText = "Members per room (clients are dealt into rooms of this size).")]
    public int RoomSize { get; set; } = 5;

    [Option("rate", Default = 0.0, HelpText = "Messages per second per client; 0 = as fast as the window allows (the most messages/s).")]
    public double Rate { get; set; }

    [Option("window", Default = 4, HelpText = "Messages a client has sent and not yet seen come back, at most.")]
    public int Window { get; set; } = 4;

    [Option("seconds", Default = 10.0, HelpText = "How long each run sends (1 to 300).")]
    public double Seconds { get; set; } = 10;

    [Option("size", Default = 64, HelpText = "Message bytes (32 to 4096).")]
    public int Size { get; set; } = 64;

    [Option("rounds", Default = 1, HelpText = "TCP and WebSocket runs are alternated this many times (1 to 10).")]
    public int Rounds { get; set; } = 1;
}
