namespace ChatLoop.Client;

public enum CommandKind
{
    /// <summary>An empty line: nothing to do.</summary>
    None,

    /// <summary>Text to send to the current room.</summary>
    Chat,
    Join,
    Leave,
    Switch,
    Rooms,
    Helo,
    Stats,

    /// <summary>Pick another name, before the first join binds one to the connection.</summary>
    Name,
    Help,
    Quit,

    /// <summary>A /word that is not a command; <see cref="Command.Argument"/> holds the word.</summary>
    Unknown,

    /// <summary>A known command used wrongly; <see cref="Command.Argument"/> says how to use it.</summary>
    Invalid,
}
