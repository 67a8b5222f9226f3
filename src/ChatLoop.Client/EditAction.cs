namespace ChatLoop.Client;

/// <summary>What a key did to the line being typed.</summary>
public enum EditAction
{
    /// <summary>The line or the cursor may have changed: redraw it.</summary>
    Redraw,

    /// <summary>Enter: the line is finished.</summary>
    Submit,

    /// <summary>Ctrl-D on an empty line: end of input.</summary>
    EndOfInput,

    /// <summary>Ctrl-C on an empty line (on a line with text, Ctrl-C clears it and is a <see cref="Redraw"/>).</summary>
    Interrupt,
}
