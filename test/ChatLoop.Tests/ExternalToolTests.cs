using ChatLoop.Tests.Support;

namespace ChatLoop.Tests;

/// <summary>One reading of the CI variable for every test that needs an outside program, and PATH as .ci/run searches it.</summary>
public sealed class ExternalToolTests
{
    [TestCase(null, false)]
    [TestCase("", false)]
    [TestCase("false", false)]
    [TestCase("0", false)]
    [TestCase("true", true)]
    [TestCase("1", true)]
    [TestCase("yes", true)]
    public void IsCI_Variable_OnlyAnythingButEmptyFalseOrZero(string? value, bool expected)
    {
        Assert.That(ExternalTool.IsCI(value), Is.EqualTo(expected));
    }

    [Test]
    public void FindOnPath_ShellAndNothing_PathOfTheOneThatExists()
    {
        Assert.That(ExternalTool.FindOnPath("sh"), Does.EndWith("/sh").And.Matches<string>(File.Exists));
        Assert.That(ExternalTool.FindOnPath("chatloop-no-such-program"), Is.Null);
    }
}
