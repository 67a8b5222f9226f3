namespace ChatLoop.Client;

/// <summary>A room this connection is in, with the ref the server gave it.</summary>
public sealed record JoinedRoom(string Name, long Ref);
