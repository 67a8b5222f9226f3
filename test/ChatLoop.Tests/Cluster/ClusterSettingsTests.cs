using ChatLoop.Server;

namespace ChatLoop.Tests.Cluster;

[TestFixture]
public sealed class ClusterSettingsTests
{
    [Test]
    public void Create_NoRedis_SingleNode()
    {
        var s = SettingsFactory.Create(new ServerOptions { Port = 5000 });
        Assert.That(s.Redis, Is.Null);
        Assert.That(s.NodeTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(s.RedisTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(1000)));
    }

    [Test]
    public void Create_ClusterOptions_InSettings()
    {
        var s = SettingsFactory.Create(new ServerOptions { Port = 5000, Redis = "127.0.0.1:6390", NodeTimeoutS = 3, RedisTimeoutMs = 400 });
        Assert.That((s.Redis, s.NodeTimeout, s.RedisTimeout), Is.EqualTo(("127.0.0.1:6390", TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(400))));
    }

    [TestCase(" ", 10.0, 1000)]
    [TestCase("nonsense=1", 10.0, 1000)]
    [TestCase("abortConnect=false", 10.0, 1000)]
    [TestCase("127.0.0.1:6390", 0.0, 1000)]
    [TestCase("127.0.0.1:6390", 10.0, 0)]
    public void Create_BadClusterOption_OneClearError(string redis, double nodeTimeout, int redisTimeout)
    {
        var o = new ServerOptions { Port = 5000, Redis = redis, NodeTimeoutS = nodeTimeout, RedisTimeoutMs = redisTimeout };
        Assert.That(() => SettingsFactory.Create(o), Throws.ArgumentException.With.Message.Contains("--"));
    }
}
