using System.Collections.Generic;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>A #define (or -D). Only object-like bodies are kept: they are what computed includes are
    /// resolved with; a function-like macro only needs to be known as such.</summary>
    internal sealed class MacroDefinition
    {
        public MacroDefinition(string name, bool isFunctionLike, IReadOnlyList<PpToken> replacement)
        {
            Name = name;
            IsFunctionLike = isFunctionLike;
            Replacement = replacement;
        }

        public string Name { get; }
        public bool IsFunctionLike { get; }
        public IReadOnlyList<PpToken> Replacement { get; }

        /// <summary>Equal for definitions that expand alike (spacing inside the body matters for &lt;...&gt;).</summary>
        public string Key => _key ??= MakeKey();

        private string? _key;

        private string MakeKey()
        {
            var text = new System.Text.StringBuilder(Name).Append(IsFunctionLike ? "()" : "=");
            for (int i = 0; i < Replacement.Count; i++)
                text.Append(i > 0 && Replacement[i].SpaceBefore ? " " : "\u0001").Append(Replacement[i].Text);
            return text.ToString();
        }
    }
}
