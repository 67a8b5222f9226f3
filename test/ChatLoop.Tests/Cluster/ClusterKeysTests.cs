using ChatLoop.Server;
using ChatLoop.Server.Cluster;

namespace ChatLoop.Tests.Cluster;

[TestFixture]
public sealed class ClusterKeysTests
{
    [TestCase("alice", "ALICE")]
    [TestCase("Straße", "STRASSE")]
    [TestCase("\u212Aelvin", "kelvin")]  // the Kelvin sign: lower-cases to k, but OrdinalIgnoreCase tells them apart
    [TestCase("\u0131d", "id")]  // dotless i
    [TestCase("\u01C5", "\u01C6")]  // title-case Dž and lower-case dž
    public void Name_SameKeyExactlyWhenNamesMatchIgnoringCase(string a, string b)
    {
        bool sameName = string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
        Assert.That(ClusterKeys.Name(a) == ClusterKeys.Name(b), Is.EqualTo(sameName), "the cluster's name key agrees with a node's own name table");
    }
}
