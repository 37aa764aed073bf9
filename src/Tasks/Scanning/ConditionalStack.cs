using System.Collections.Generic;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>
    /// Tracks the conditional structure of a file as it is parsed: which groups are certainly skipped
    /// whatever the macros (a literal <c>#if 0</c> or <c>#elif 0</c>, the usual way to comment code out),
    /// and the <see cref="ConditionalGuard"/> of the current position, whose conditions each scan
    /// evaluates with what it knows.
    /// </summary>
    internal sealed class ConditionalStack
    {
        private struct Frame
        {
            public bool InsideSkipped; // the whole #if...#endif lies in a skipped group
            public bool GroupSkipped;  // the current group of this #if is a literal 0
            public ConditionalBlock Block;
            public ConditionalGuard? Outer;
        }

        private readonly List<Frame> _frames = new List<Frame>();

        public bool Skipping => _frames.Count > 0 && (_frames[_frames.Count - 1].InsideSkipped || _frames[_frames.Count - 1].GroupSkipped);

        /// <summary>Whether an #elif condition on the innermost #if is read by NVRTC at all.</summary>
        public bool InnermostIsLive => _frames.Count == 0 || !_frames[_frames.Count - 1].InsideSkipped;

        /// <summary>The guard of the current group; null outside any conditional.</summary>
        public ConditionalGuard? Guard { get; private set; }

        /// <summary>The guard around the innermost #if...#endif (where its #elif lines are read).</summary>
        public ConditionalGuard? OuterGuard => _frames.Count > 0 ? _frames[_frames.Count - 1].Outer : Guard;

        public void If(bool literalZero, ConditionalBranch branch)
        {
            bool inside = Skipping;
            var block = new ConditionalBlock();
            block.Branches.Add(branch);
            _frames.Add(new Frame { InsideSkipped = inside, GroupSkipped = !inside && literalZero, Block = block, Outer = Guard });
            Guard = new ConditionalGuard(Guard, block, 0);
        }

        public void Elif(bool literalZero, ConditionalBranch branch) => SetGroup(literalZero, branch);

        public void Else() => SetGroup(false, new ConditionalBranch(BranchKind.Else, new PpToken[0], false));

        public void EndIf()
        {
            if (_frames.Count == 0)
                return;
            Guard = _frames[_frames.Count - 1].Outer;
            _frames.RemoveAt(_frames.Count - 1);
        }

        private void SetGroup(bool skipped, ConditionalBranch branch)
        {
            if (_frames.Count == 0)
                return; // unbalanced: NVRTC reports it; nothing to skip
            Frame top = _frames[_frames.Count - 1];
            if (!top.InsideSkipped)
                top.GroupSkipped = skipped;
            _frames[_frames.Count - 1] = top;
            top.Block.Branches.Add(branch);
            Guard = new ConditionalGuard(top.Outer, top.Block, top.Block.Branches.Count - 1);
        }
    }
}
