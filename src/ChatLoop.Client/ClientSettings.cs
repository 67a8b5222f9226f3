namespace ChatLoop.Client;

/// <summary>Validated command line: all the client core sees.</summary>
public sealed record ClientSettings
{
    public string Host { get; init; } = "localhost";

    public int Port { get; init; } = 5000;

    public required string Name { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan QuitWait { get; init; } = TimeSpan.FromSeconds(2);

    public bool Plain { get; init; }

    /// <summary>How long a /join or /leave waits for its reply before the next line is taken.</summary>
    public TimeSpan ReplyWait { get; init; } = TimeSpan.FromSeconds(2);
}
