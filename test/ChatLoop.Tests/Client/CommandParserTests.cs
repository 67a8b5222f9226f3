using ChatLoop.Client;

namespace ChatLoop.Tests.Client;

public sealed class CommandParserTests
{
    [TestCase("/join room1", CommandKind.Join, "room1")]
    [TestCase("/JOIN   room one  ", CommandKind.Join, "room one")]
    [TestCase("/leave", CommandKind.Leave, null)]
    [TestCase("/leave room2", CommandKind.Leave, "room2")]
    [TestCase("/switch room2", CommandKind.Switch, "room2")]
    [TestCase("/rooms", CommandKind.Rooms, null)]
    [TestCase("/helo", CommandKind.Helo, CommandParser.DefaultHeloText)]
    [TestCase("/helo BASE_TEST", CommandKind.Helo, "BASE_TEST")]
    [TestCase("/stats", CommandKind.Stats, null)]
    [TestCase("/help", CommandKind.Help, null)]
    [TestCase("/quit", CommandKind.Quit, null)]
    [TestCase("/exit", CommandKind.Quit, null)]
    [TestCase("/name alicia", CommandKind.Name, "alicia")]
    [TestCase("/NAME  bob  ", CommandKind.Name, "bob")]
    public void Parse_Command_KindAndArgument(string line, CommandKind kind, string? argument)
    {
        Assert.That(CommandParser.Parse(line), Is.EqualTo(new Command(kind, argument)));
    }

    [TestCase("hello world")]
    [TestCase("  indented text ")]
    [TestCase("a / b")]
    public void Parse_PlainText_ChatWithTextUnchanged(string line)
    {
        Assert.That(CommandParser.Parse(line), Is.EqualTo(new Command(CommandKind.Chat, line)));
    }

    [Test]
    public void Parse_DoubleSlash_ChatWithOneSlash()
    {
        Assert.That(CommandParser.Parse("//join is a command"), Is.EqualTo(new Command(CommandKind.Chat, "/join is a command")));
    }

    [TestCase("")]
    [TestCase("   ")]
    public void Parse_BlankLine_None(string line)
    {
        Assert.That(CommandParser.Parse(line).Kind, Is.EqualTo(CommandKind.None));
    }

    [Test]
    public void Parse_UnknownCommand_UnknownWithWord()
    {
        Assert.That(CommandParser.Parse("/dance now"), Is.EqualTo(new Command(CommandKind.Unknown, "/dance")));
    }

    [TestCase("/join", "usage: /join ROOM")]
    [TestCase("/switch", "usage: /switch ROOM")]
    [TestCase("/rooms all", "usage: /rooms")]
    [TestCase("/quit now", "usage: /quit")]
    [TestCase("/name", "usage: /name NAME")]
    public void Parse_MissingOrExtraArgument_InvalidWithUsage(string line, string usage)
    {
        Assert.That(CommandParser.Parse(line), Is.EqualTo(new Command(CommandKind.Invalid, usage)));
    }

    [Test]
    public void Parse_RoomNameOver64Bytes_Invalid()
    {
        var command = CommandParser.Parse("/join " + new string('x', 65));

        Assert.That(command.Kind, Is.EqualTo(CommandKind.Invalid));
        Assert.That(command.Argument, Does.Contain("longer than 64 bytes"));
    }
}
