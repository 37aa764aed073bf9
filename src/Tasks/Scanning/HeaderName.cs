namespace KernelBuild.Tasks.Scanning
{
    /// <summary>The name inside <c>"..."</c> or <c>&lt;...&gt;</c>, as written.</summary>
    internal readonly struct HeaderName
    {
        public HeaderName(string text, bool angled)
        {
            Text = text;
            Angled = angled;
        }

        public string Text { get; }

        /// <summary>True for &lt;name&gt;: the including file's directory is not searched.</summary>
        public bool Angled { get; }

        public override string ToString() => Angled ? "<" + Text + ">" : "\"" + Text + "\"";
    }
}
