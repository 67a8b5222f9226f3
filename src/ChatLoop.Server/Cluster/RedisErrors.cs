using StackExchange.Redis;

namespace ChatLoop.Server.Cluster;

/// <summary>How the backplane words a Redis failure for a client's ERROR 12.</summary>
internal static class RedisErrors
{
    /// <summary>Redis lost what this node registered (it restarted, or failed over): requests fail until it has registered again.</summary>
    public const string Restarted = "Redis restarted; this node is registering again";

    public static string Describe(Exception e) => e switch
    {
        RedisTimeoutException or TimeoutException => "Redis did not answer in time",
        RedisConnectionException => "Redis is unreachable",
        _ => e.Message,
    };
}
