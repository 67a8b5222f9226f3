namespace ChatLoop.Server.Cluster;

/// <summary>
/// What Redis settled for a JOIN (<see cref="JoinResolver"/>): the room's ref, the connection's JOIN_ID
/// and, when a new block of ids came with it, the block's end (0 otherwise).
/// </summary>
internal sealed record JoinAnswer(string RoomName, string ClientName, long RoomRef, long JoinId, long JoinIdBlockEnd);
