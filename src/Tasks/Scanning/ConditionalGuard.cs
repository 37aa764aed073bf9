using System.Collections.Generic;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>One #if/#ifdef/#ifndef ... #endif block of a file: its branches in order, each with its
    /// condition as written (a file's parse keeps them, so that each scan can evaluate them with what it knows).</summary>
    internal sealed class ConditionalBlock
    {
        public List<ConditionalBranch> Branches { get; } = new List<ConditionalBranch>();
    }

    internal enum BranchKind
    {
        If,
        Ifdef,
        Ifndef,
        Else,
    }

    /// <summary>A branch: #if/#elif (<see cref="BranchKind.If"/>), #ifdef/#elifdef, #ifndef/#elifndef or #else.</summary>
    internal sealed class ConditionalBranch
    {
        public ConditionalBranch(BranchKind kind, IReadOnlyList<PpToken> condition, bool hasInclude)
        {
            Kind = kind;
            Condition = condition;
            UsesHasInclude = hasInclude;
        }

        public BranchKind Kind { get; }

        /// <summary>The condition's tokens (the macro name for #ifdef/#ifndef; empty for #else).</summary>
        public IReadOnlyList<PpToken> Condition { get; }

        /// <summary>__has_include or __has_include_next appears in the line: its value depends on probes.</summary>
        public bool UsesHasInclude { get; }

        /// <summary>The branch as written: its kind and its condition's tokens.</summary>
        public string Key => (int)Kind + ":" + string.Join(" ", Condition);
    }

    /// <summary>
    /// Where a directive sits: in branch <see cref="Branch"/> of <see cref="Block"/>, itself under
    /// <see cref="Parent"/>; null for a directive outside any conditional. NVRTC reads the directive only if
    /// every enclosing branch is the one taken.
    /// </summary>
    internal sealed class ConditionalGuard
    {
        public ConditionalGuard(ConditionalGuard? parent, ConditionalBlock block, int branch)
        {
            Parent = parent;
            Block = block;
            Branch = branch;
        }

        public ConditionalGuard? Parent { get; }
        public ConditionalBlock Block { get; }
        public int Branch { get; }

        /// <summary>The guard as written, innermost block first: each block's branches up to the one the directive
        /// sits in. Equal where two readings of a file (C++ dialects, NVRTC releases) put a directive in the same
        /// groups; different where one of them sees a branch that the other does not.</summary>
        public static string KeyOf(ConditionalGuard? guard)
        {
            var text = new System.Text.StringBuilder();
            for (; guard != null; guard = guard.Parent)
            {
                for (int i = 0; i <= guard.Branch; i++)
                {
                    text.Append(guard.Block.Branches[i].Key).Append('|');
                }
                text.Append('/');
            }
            return text.ToString();
        }
    }
}
