namespace ChatLoop.Server.Polling;

/// <summary>What the reactor wants to hear about a connection.</summary>
[Flags]
internal enum Interest
{
    None = 0,
    Read = 1,
    Write = 2,
}
