using System.Text.RegularExpressions;
using ChatLoop.Protocol;

namespace ChatLoop.Tests.Docs;

/// <summary>docs/errors.md, the users' table of ERROR codes, names every code the server can send, once.</summary>
public sealed partial class ErrorsPageTests
{
    [Test]
    public void ErrorsPage_EveryErrorCode_HasItsRowAndItsSection()
    {
        var page = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "errors.md"));
        var sections = SectionHeading().Matches(page).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var rows = TableRow().Matches(page).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var codes = Enum.GetValues<ErrorCode>().Select(c => (int)c).ToList();

        Assert.That(sections, Is.EqualTo(codes), "one '## N: ...' section per code, in order");
        Assert.That(rows, Is.EqualTo(codes), "one table row per code, in order");
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ChatLoop.sln")))
        {
            dir = dir.Parent;
        }

        Assert.That(dir, Is.Not.Null, "the repository root (ChatLoop.sln) above " + AppContext.BaseDirectory);
        return dir!.FullName;
    }

    [GeneratedRegex(@"^## (\d+): ", RegexOptions.Multiline)]
    private static partial Regex SectionHeading();

    [GeneratedRegex(@"^\| \[(\d+)\]\(#", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
