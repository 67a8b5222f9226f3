using StackExchange.Redis;

namespace ChatLoop.Server.Cluster;

/// <summary>A room's keys, under its hash tag <c>{room:REF}</c>, in the order the batch script takes them.</summary>
internal sealed record RoomKeys(RedisKey Members, RedisKey Nodes, RedisKey Seq);
