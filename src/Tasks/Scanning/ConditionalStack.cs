using System.Collections.Generic;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>
    /// Tracks which groups are certainly skipped. Conditions are not evaluated (a superset is safe, and
    /// their values can depend on NVRTC's predefined macros), with one exception: a group under a literal
    /// <c>#if 0</c> or <c>#elif 0</c>, the usual way to comment code out, is never entered by NVRTC.
    /// A wrong "skipped" would hide dependencies, so anything else counts as live.
    /// </summary>
    internal sealed class ConditionalStack
    {
        private struct Frame
        {
            public bool InsideSkipped; // the whole #if...#endif lies in a skipped group
            public bool GroupSkipped;  // the current group of this #if is a literal 0
        }

        private readonly List<Frame> _frames = new List<Frame>();

        public bool Skipping => _frames.Count > 0 && (_frames[_frames.Count - 1].InsideSkipped || _frames[_frames.Count - 1].GroupSkipped);

        /// <summary>Whether an #elif condition on the innermost #if is read by NVRTC at all.</summary>
        public bool InnermostIsLive => _frames.Count == 0 || !_frames[_frames.Count - 1].InsideSkipped;

        public void If(bool literalZero)
        {
            bool inside = Skipping;
            _frames.Add(new Frame { InsideSkipped = inside, GroupSkipped = !inside && literalZero });
        }

        public void Elif(bool literalZero) => SetGroup(literalZero);

        public void Else() => SetGroup(false);

        public void EndIf()
        {
            if (_frames.Count > 0)
                _frames.RemoveAt(_frames.Count - 1);
        }

        private void SetGroup(bool skipped)
        {
            if (_frames.Count == 0)
                return; // unbalanced: NVRTC reports it; nothing to skip
            Frame top = _frames[_frames.Count - 1];
            if (!top.InsideSkipped)
                top.GroupSkipped = skipped;
            _frames[_frames.Count - 1] = top;
        }
    }
}
