using System.Collections.Generic;

namespace KernelBuild.Tasks.Scanning
{
    internal enum FlowKind
    {
        /// <summary>#if/#ifdef/#ifndef: <see cref="FlowDirective.Branch"/>, <see cref="FlowDirective.Next"/>.</summary>
        If,
        /// <summary>#elif/#elifdef/#elifndef/#else: <see cref="FlowDirective.Branch"/>, <see cref="FlowDirective.Next"/>.</summary>
        Elif,
        EndIf,
        /// <summary>#include/#include_next/#import, or a __has_include outside an #if line: <see cref="FlowDirective.Site"/>.</summary>
        Site,
        Define,
        Undef,
        PragmaOnce,
        /// <summary>#error: NVRTC 11.8 stops the compile there ("catastrophic error", measured).</summary>
        Error,
        /// <summary>#pragma push_macro("<see cref="FlowDirective.Name"/>").</summary>
        PushMacro,
        /// <summary>#pragma pop_macro("<see cref="FlowDirective.Name"/>").</summary>
        PopMacro,
    }

    /// <summary>
    /// One directive of a file, in the file's order, for the flow-sensitive walk (ScanSession.Flow.cs). A
    /// file's list depends on its bytes alone, so it is part of the cached parse.
    /// </summary>
    internal sealed class FlowDirective
    {
        private FlowDirective(FlowKind kind, int line)
        {
            Kind = kind;
            Line = line;
        }

        public FlowKind Kind { get; }
        public int Line { get; }

        /// <summary>The condition of an <see cref="FlowKind.If"/> or <see cref="FlowKind.Elif"/> (#else: a
        /// branch of kind Else).</summary>
        public ConditionalBranch? Branch { get; private set; }

        /// <summary>For a branch: the index of the next #elif/#else/#endif of the same block (the list's
        /// length when the file ends first).</summary>
        public int Next { get; set; } = -1;

        /// <summary>The __has_include probes of an #if/#elif line, made when NVRTC evaluates the line.</summary>
        public List<IncludeSite> Probes { get; } = new List<IncludeSite>();

        public IncludeSite? Site { get; private set; }
        public MacroDefinition? Macro { get; private set; }

        /// <summary>The name of an #undef.</summary>
        public string? Name { get; private set; }

        public static FlowDirective Condition(FlowKind kind, int line, ConditionalBranch branch) => new FlowDirective(kind, line) { Branch = branch };
        public static FlowDirective EndIf(int line) => new FlowDirective(FlowKind.EndIf, line);
        public static FlowDirective ForSite(IncludeSite site) => new FlowDirective(FlowKind.Site, site.Line) { Site = site };
        public static FlowDirective Define(int line, MacroDefinition macro) => new FlowDirective(FlowKind.Define, line) { Macro = macro };
        public static FlowDirective Undef(int line, string name) => new FlowDirective(FlowKind.Undef, line) { Name = name };
        public static FlowDirective Once(int line) => new FlowDirective(FlowKind.PragmaOnce, line);
        public static FlowDirective Error(int line) => new FlowDirective(FlowKind.Error, line);
        public static FlowDirective Pragma(FlowKind kind, int line, string name) => new FlowDirective(kind, line) { Name = name };

        /// <summary>Equal for the same directive found under two lexical dialects.</summary>
        public string Key
        {
            get
            {
                string head = (int)Kind + ":" + Line + ":";
                switch (Kind)
                {
                    case FlowKind.If:
                    case FlowKind.Elif:
                        return head + Branch!.Key + ":" + string.Join("|", Probes.ConvertAll(probe => probe.Key));
                    case FlowKind.Site:
                        return head + Site!.Key;
                    case FlowKind.Define:
                        return head + Macro!.Key;
                    case FlowKind.Undef:
                    case FlowKind.PushMacro:
                    case FlowKind.PopMacro:
                        return head + Name;
                    default:
                        return head;
                }
            }
        }
    }
}
