namespace KernelBuild.Tasks.Scanning
{
    internal enum PpTokenKind
    {
        EndOfFile,
        Newline,
        Identifier,
        Number,
        /// <summary>A string literal, with any prefix (L, u8, R...) and its quotes.</summary>
        String,
        Character,
        Punctuator,
        /// <summary>A parameter of the function-like macro whose body holds the token: its value is
        /// whatever a call passes, so nothing that depends on it resolves statically.</summary>
        MacroParameter,
    }

    /// <summary>A preprocessing token kept from a directive (macro bodies, computed include operands).</summary>
    internal sealed class PpToken
    {
        public PpToken(PpTokenKind kind, string text, bool spaceBefore)
        {
            Kind = kind;
            Text = text;
            SpaceBefore = spaceBefore;
        }

        public PpTokenKind Kind { get; }
        public string Text { get; }

        /// <summary>Whitespace or a comment preceded the token: it becomes one space in a computed
        /// &lt;name&gt;, as GCC documents.</summary>
        public bool SpaceBefore { get; }

        public PpToken WithSpaceBefore(bool spaceBefore) =>
            spaceBefore == SpaceBefore ? this : new PpToken(Kind, Text, spaceBefore);

        public override string ToString() => Text;
    }
}
