using System.Collections.Generic;

namespace KernelBuild.Tasks.Dependencies
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

        public bool SameAs(MacroDefinition other)
        {
            if (other.Name != Name || other.IsFunctionLike != IsFunctionLike || other.Replacement.Count != Replacement.Count)
                return false;
            for (int i = 0; i < Replacement.Count; i++)
            {
                if (Replacement[i].Text != other.Replacement[i].Text || (i > 0 && Replacement[i].SpaceBefore != other.Replacement[i].SpaceBefore))
                    return false;
            }
            return true;
        }
    }
}
