using System;
using System.Collections.Generic;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>
    /// The flow-sensitive walk: the translation unit as NVRTC's preprocessor reads it. Each #include is
    /// entered where it stands, in order, with the macro state at that point, and a file is entered again
    /// each time it is included, so include guards and #pragma once are decided as NVRTC decides them. The
    /// state is abstract (<see cref="FlowState"/>): a condition the scan cannot decide takes every branch, and
    /// the branches' states are merged at the #endif. The walk works on the cached directive lists, so
    /// re-entering a guarded header costs a lookup and one condition.
    /// Where a bound is hit (depth, work, a computed #include the state cannot resolve, a file whose
    /// directives depend on the dialect, a header that may be one of NVRTC's own) the walk is abandoned and the
    /// order-independent scan runs instead: recall never depends on the walk. docs/dependencies.md, step 5.
    /// </summary>
    internal sealed partial class ScanSession
    {
        // Deeper nesting is taken as a runaway self-inclusion, which the order-independent scan (each file once) covers.
        private const int MaxIncludeDepth = 200;

        // Directives (and branches) the walk may visit before it gives up, so that undecided conditions whose
        // branches each include large headers cannot make a scan slow.
        internal const int MaxFlowSteps = 2_000_000;

        // Runs of one #if line over the possible definitions of its macros before it is called unknown.
        private const int MaxConditionRuns = 32;

        // Stands for a definition the scan does not know, in one run of a condition.
        private static readonly MacroDefinition s_unknownDefinition = new MacroDefinition("\u0003unknown", null, false, new PpToken[0]);

        private FlowState? _state;
        private int _steps;

        // The path being walked reached an #error or a header found nowhere: NVRTC 11.8 stops there, so this path
        // contributes nothing further.
        private bool _stopped;
        private readonly Dictionary<string, Node> _flowNodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        private readonly HashSet<string> _guardNames = new HashSet<string>(StringComparer.Ordinal);
        private readonly Dictionary<(string?, IncludeKind, string, bool), List<Node>> _flowResolved = new Dictionary<(string?, IncludeKind, string, bool), List<Node>>();

        /// <summary>Directives the last flow walk visited on this thread (for tests and measurements).</summary>
        [ThreadStatic]
        internal static int LastFlowSteps;

        /// <summary>Why the last flow walk on this thread was abandoned; null when it finished.</summary>
        [ThreadStatic]
        internal static string? LastFlowFallback;

        private sealed class FlowAbandonedException : Exception
        {
            public FlowAbandonedException(string reason) : base(reason) { }
        }

        /// <summary>The flow-sensitive scan; null when it had to be abandoned (see <see cref="LastFlowFallback"/>).</summary>
        public IncludeScanResult? RunFlow()
        {
            (Probe source, ParsedFile sourceFile) = Start();
            _state = new FlowState(InitialValues);
            LastFlowFallback = null;
            try
            {
                // NVRTC reads --pre-include files before the source, finding them like <name>.
                foreach (string preInclude in _request.PreIncludes ?? new string[0])
                {
                    if (string.IsNullOrEmpty(preInclude) || _stopped)
                        continue;
                    var name = new HeaderName(preInclude, angled: true);
                    IncludeFlow(null, 0, ResolveFlow(null, 0, name, IncludeKind.Include), name, IncludeKind.Include, 1);
                }
                if (!_stopped)
                    WalkFile(new Node(source.Path!, sourceFile, source.FinalPath), 0);
            }
            catch (FlowAbandonedException abandoned)
            {
                LastFlowFallback = abandoned.Message;
                return null;
            }
            finally
            {
                LastFlowSteps = _steps;
            }
            // What is left only probes (it reads nothing): __has_include wrappers joined over every file read,
            // and __has_include operands the state at their line could not resolve, with every definition met.
            MatchWrapperCalls();
            ReevaluateComputedSites();
            return Finish();
        }

        /// <summary>A name's value before any file sets it: the command line, NVRTC's predefined macros.</summary>
        private MacroValues InitialValues(string name)
        {
            if (name[0] < ' ')
                return MacroValues.Undefined; // the walk's own pseudo-macros (#pragma once, push_macro)
            PredefinedState predefined = _predefined.Lookup(name, out MacroDefinition? builtin);
            if (_commandLine.TryGetValue(name, out MacroDefinition? fromCommandLine))
            {
                // -U does not remove what NVRTC predefines (measured with __CUDACC__).
                if (fromCommandLine == null && predefined != PredefinedState.NotPredefined && predefined != PredefinedState.Undefined)
                    return MacroValues.Anything;
                return fromCommandLine == null ? MacroValues.Undefined : MacroValues.Of(fromCommandLine);
            }
            switch (predefined)
            {
                case PredefinedState.Defined:
                    return MacroValues.Of(builtin!);
                case PredefinedState.DefinedWithUnknownValue:
                    return MacroValues.DefinedUnknown;
                case PredefinedState.Unknown:
                    // A compiler that predefined a header's include guard would make the header empty. Names in the
                    // compiler's own style ("__X__") stay unknown: NVRTC's built-in headers define guards such as
                    // __DRIVER_TYPES_H__ before the source begins, and a copy of such a header may be on -I.
                    return _guardNames.Contains(name) && !IsCompilerStyle(name) ? MacroValues.Undefined : MacroValues.Anything;
                default:
                    return MacroValues.Undefined;
            }
        }

        private static bool IsCompilerStyle(string name) =>
            name.Length > 4 && name.StartsWith("__", StringComparison.Ordinal) && name.EndsWith("__", StringComparison.Ordinal);

        private void Step()
        {
            if (++_steps > MaxFlowSteps)
                throw new FlowAbandonedException("more than " + MaxFlowSteps + " directives to walk");
        }

        private void WalkFile(Node node, int depth)
        {
            if (depth > MaxIncludeDepth)
                throw new FlowAbandonedException("includes nest deeper than " + MaxIncludeDepth + " at " + node.Path);
            if (!node.File.FlowAgrees)
                throw new FlowAbandonedException(node.Path + " has different directives in different C++ dialects or NVRTC releases");
            if (node.File.GuardMacro != null)
                _guardNames.Add(node.File.GuardMacro);
            if (!node.Entered)
            {
                node.Entered = true;
                foreach (HasIncludeWrapper wrapper in node.File.Wrappers)
                    AddWrapper(wrapper);
                _forwards.AddRange(node.File.Forwards);
                foreach (MacroCall call in node.File.Calls)
                    _calls.Add(new PendingCall(node, call));
            }
            WalkRange(node, 0, node.File.Flow.Count, depth);
        }

        private void WalkRange(Node node, int start, int end, int depth)
        {
            IReadOnlyList<FlowDirective> flow = node.File.Flow;
            for (int i = start; i < end;)
            {
                Step();
                FlowDirective directive = flow[i];
                switch (directive.Kind)
                {
                    case FlowKind.If:
                        i = WalkBlock(node, i, depth);
                        if (_stopped)
                            return;
                        continue;
                    case FlowKind.Site:
                        Site(node, directive.Site!, depth);
                        break;
                    case FlowKind.Define:
                        _state!.Set(directive.Macro!.Name, MacroValues.Of(directive.Macro));
                        _macros.Add(directive.Macro);
                        break;
                    case FlowKind.Undef:
                        _state!.Set(directive.Name!, MacroValues.Undefined);
                        break;
                    case FlowKind.PragmaOnce:
                        _state!.Set(node.OncePathKey, MacroValues.DefinedUnknown);
                        _state.Set(node.OnceFileKey, MacroValues.DefinedUnknown);
                        break;
                    case FlowKind.Error:
                        _stopped = _behaviour.ErrorEndsTheCompile;
                        break;
                    case FlowKind.PushMacro:
                        PushMacro(directive.Name!);
                        break;
                    case FlowKind.PopMacro:
                        PopMacro(directive.Name!);
                        break;
                }
                if (_stopped)
                    return;
                i++; // a stray #elif/#else/#endif is an error NVRTC reports: nothing to do
            }
        }

        /// <summary>
        /// An #if ... #endif block from its first branch at <paramref name="index"/>: a branch certainly taken
        /// is walked alone; undecided ones are each walked from the state before the block (narrowed by what
        /// the earlier conditions being false says), together with the path that takes none, and merged.
        /// Returns the index after the #endif.
        /// </summary>
        private int WalkBlock(Node node, int index, int depth)
        {
            IReadOnlyList<FlowDirective> flow = node.File.Flow;
            FlowState state = _state!;
            Dictionary<string, MacroValues?>? block = null;
            List<Dictionary<string, MacroValues>>? paths = null;
            bool taken = false;
            for (int i = index; i < flow.Count && flow[i].Kind != FlowKind.EndIf; i = flow[i].Next)
            {
                Step();
                FlowDirective branch = flow[i];
                foreach (IncludeSite probe in branch.Probes)
                    Site(node, probe, depth); // NVRTC evaluates this line
                ConditionValue value = EvaluateFlow(branch.Branch!, node);
                if (value == ConditionValue.False)
                    continue;
                if (value == ConditionValue.True && block == null)
                {
                    WalkRange(node, i + 1, branch.Next, depth);
                    taken = true;
                    break;
                }
                block ??= state.Begin();
                paths ??= new List<Dictionary<string, MacroValues>>();
                Dictionary<string, MacroValues?> path = state.Begin();
                if (value == ConditionValue.Unknown)
                    Narrow(branch.Branch!, taken: true);
                WalkRange(node, i + 1, branch.Next, depth);
                if (!_stopped)
                    paths.Add(state.Capture(block, path));
                _stopped = false;
                state.Undo(path);
                if (value == ConditionValue.True)
                {
                    taken = true;
                    break;
                }
                Narrow(branch.Branch!, taken: false);
            }
            if (block != null && paths != null)
            {
                if (!taken)
                    paths.Add(state.Capture(block));
                state.Undo(block);
                state.Merge(paths);
                _stopped = paths.Count == 0; // every path reached an #error
            }
            int end = index;
            while (end < flow.Count && flow[end].Kind != FlowKind.EndIf)
                end = flow[end].Next;
            return end + 1;
        }

        /// <summary>In a branch of an undecided "#ifdef X", "#if !defined(X)" and the like, what is known of X.</summary>
        private void Narrow(ConditionalBranch branch, bool taken)
        {
            string? name = TestedName(branch, out bool whenDefined);
            if (name != null)
                _state!.Set(name, _state.Get(name).Where(whenDefined == taken));
        }

        /// <summary>X of a condition that is exactly "defined X" (whenDefined) or "!defined X" (with or without
        /// parentheses), #ifdef X or #ifndef X.</summary>
        private static string? TestedName(ConditionalBranch branch, out bool whenDefined)
        {
            IReadOnlyList<PpToken> c = branch.Condition;
            whenDefined = branch.Kind != BranchKind.Ifndef;
            if (branch.Kind == BranchKind.Ifdef || branch.Kind == BranchKind.Ifndef)
                return c.Count == 1 ? c[0].Text : null;
            if (branch.Kind != BranchKind.If || branch.UsesHasInclude)
                return null;
            int at = 0;
            if (c.Count > 0 && c[0].Text == "!")
            {
                whenDefined = false;
                at = 1;
            }
            if (c.Count <= at || c[at].Text != "defined")
                return null;
            if (c.Count == at + 2 && c[at + 1].Kind == PpTokenKind.Identifier)
                return c[at + 1].Text;
            if (c.Count == at + 4 && c[at + 1].Text == "(" && c[at + 2].Kind == PpTokenKind.Identifier && c[at + 3].Text == ")")
                return c[at + 2].Text;
            return null;
        }

        /// <summary>The pseudo-macro that #pragma once sets, per path and per file (see IncludeFlow).</summary>
        internal static string OnceKey(string path) => "\u0002once " + path;

        private static string PushedKey(string name) => "\u0004pushed " + name;

        /// <summary>Saves the macro's value for pop_macro. Pushes of one name nest, and one slot holds the union of
        /// what was pushed, so a pop gives a superset of the right value.</summary>
        private void PushMacro(string name)
        {
            string key = PushedKey(name);
            MacroValues value = _state!.Get(name);
            _state.Set(key, _state.IsSet(key) ? _state.Get(key).Union(value) : value);
        }

        /// <summary>NVRTC 11.8 and 13.0 ignore push_macro and pop_macro ("unrecognized #pragma", measured);
        /// another version may restore the pushed value, so the macro may then be either.</summary>
        private void PopMacro(string name)
        {
            if (_behaviour.IgnoresPushAndPopMacro)
                return;
            if (name.Length == 0)
                throw new FlowAbandonedException("a #pragma pop_macro whose name the walk cannot read");
            string key = PushedKey(name);
            _state!.Set(name, _state.Get(name).Union(_state.IsSet(key) ? _state.Get(key) : MacroValues.Anything));
        }

        /// <summary>An #include (entered), or a __has_include probe (probed only).</summary>
        private void Site(Node node, IncludeSite site, int depth)
        {
            if (!site.IsComputed)
            {
                if (site.ReadsFile)
                    IncludeFlow(node, site.Line, ResolveFlow(node, site.Line, site.Name, site.Kind), site.Name, site.Kind, depth + 1);
                else
                    Resolve(node, site.Line, site.Name, site.Kind);
                return;
            }
            if (!ComputedIncludeResolver.TryResolve(site.Tokens!, _state!.Get, node.Path, site.Line, out List<HeaderName> names, out string failure))
            {
                if (site.ReadsFile)
                    throw new FlowAbandonedException(node.Path + "(" + site.Line + "): " + failure);
                // A probe reads nothing, so the order-independent resolution at the end can stand in for it.
                var computed = new ComputedSite(node, site);
                _computed.Add(computed);
                Evaluate(computed);
                return;
            }
            if (!site.ReadsFile)
            {
                foreach (HeaderName name in names)
                    Resolve(node, site.Line, name, site.Kind);
                return;
            }
            var found = new List<Node>();
            foreach (HeaderName name in names)
                found.AddRange(ResolveFlow(node, site.Line, name, site.Kind));
            IncludeFlow(node, site.Line, found, names[0], site.Kind, depth + 1);
        }

        /// <summary>Enters the file an #include opens. Where several may be the one (several possible names,
        /// every later match of #include_next, a #pragma once file that may or may not have been entered), each
        /// is walked from the same state and the results are merged.</summary>
        /// <param name="found">The files the directive may open (all of them: several names, every later match).</param>
        private void IncludeFlow(Node? includer, int line, List<Node> found, HeaderName name, IncludeKind kind, int depth)
        {
            if (found.Count == 0)
            {
                // NVRTC 11.8 stops there ("catastrophic error: could not open source file", measured: it has no
                // headers of its own to include); a later one may have the name built in, with macros the walk cannot know.
                if (_behaviour.MissingHeaderEndsTheCompile)
                {
                    _stopped = true;
                    return;
                }
                throw new FlowAbandonedException((includer?.Path ?? _request.SourcePath) + "(" + line + "): '" + name.Text +
                    "' is not on disk");
            }
            if (found.Count == 1)
            {
                // The usual case: one file, certainly entered again or certainly not skipped by #pragma once.
                bool? enteredUnderThisPath = _state!.Get(found[0].OncePathKey).IsDefined;
                if (enteredUnderThisPath == true)
                    return;
                if (enteredUnderThisPath == false && _state.Get(found[0].OnceFileKey).IsDefined == false)
                {
                    WalkFile(found[0], depth);
                    return;
                }
            }
            var alternatives = new List<Node?>();
            foreach (Node file in found)
            {
                bool? enteredUnderThisPath = _state!.Get(file.OncePathKey).IsDefined;
                if (enteredUnderThisPath == true)
                    continue; // #pragma once, whether NVRTC keys it on the path or on the file
                bool? enteredAtAll = _state.Get(file.OnceFileKey).IsDefined;
                if (enteredUnderThisPath == null || enteredAtAll != false)
                    alternatives.Add(null); // it may be skipped
                alternatives.Add(file);
            }
            if (alternatives.Count == 1)
            {
                WalkFile(alternatives[0]!, depth);
                return;
            }
            if (alternatives.Count == 0)
                return;
            var paths = new List<Dictionary<string, MacroValues>>();
            foreach (Node? alternative in alternatives)
            {
                Dictionary<string, MacroValues?> path = _state.Begin();
                if (alternative != null)
                    WalkFile(alternative, depth);
                if (!_stopped)
                    paths.Add(_state.Capture(path));
                _stopped = false;
                _state.Undo(path);
            }
            _state.Merge(paths);
            _stopped = paths.Count == 0;
        }

        /// <summary>The files a name opens from a directory: the same within a scan, so searched once. (The first
        /// includer's line is the one a warning about a link on the way names.)</summary>
        private List<Node> ResolveFlow(Node? includer, int line, HeaderName name, IncludeKind kind)
        {
            if (kind == IncludeKind.IncludeNext && includer != null)
                return ResolveNext(includer, line, name);
            // An angled name is searched on -I only, wherever the including file is.
            var key = (name.Angled ? null : includer?.Directory, kind, name.Text, name.Angled);
            if (!_flowResolved.TryGetValue(key, out List<Node>? found))
            {
                found = new List<Node>();
                Resolve(includer, line, name, kind, found);
                _flowResolved[key] = found;
            }
            return found;
        }

        /// <summary>
        /// #include_next: the search goes on in the -I directories after the one the including file was found
        /// in. Where exactly one -I directory holds the including file's path, that is the one, and the first
        /// later match is taken, as NVRTC takes it. Where several do (nested -I directories), the search starts
        /// after the first of them, which is never later than the real one, and every later match is taken; for
        /// a file found elsewhere, every match. The including file itself is never its own next match.
        /// </summary>
        private List<Node> ResolveNext(Node includer, int line, HeaderName name)
        {
            int after = -1, holders = 0;
            for (int i = 0; i < _includeDirectories.Count; i++)
            {
                // Lexically normalized: a directory not recognized here only makes the search longer.
                string directory = System.IO.Path.GetFullPath(_includeDirectories[i]).TrimEnd('/', '\\');
                if (includer.Path.StartsWith(directory + "/", StringComparison.Ordinal))
                {
                    holders++;
                    if (after < 0)
                        after = i;
                }
            }
            var found = new List<Node>();
            if (after < 0)
                Resolve(includer, line, name, IncludeKind.IncludeNext, found);
            else
            {
                var later = new List<string>();
                for (int i = after + 1; i < _includeDirectories.Count; i++)
                    later.Add(_includeDirectories[i]);
                IncludeKind kind = holders == 1 ? IncludeKind.Include : IncludeKind.IncludeNext; // first match, or every one
                Resolve(includer, line, new HeaderName(name.Text, angled: true), kind, found, later);
            }
            found.RemoveAll(file => file.FinalPath == includer.FinalPath);
            return found;
        }

        /// <summary>One node per path NVRTC opens, made once per scan.</summary>
        private Node FlowNode(Probe probe, ParsedFile file, Node? includer, int line)
        {
            if (_flowNodes.TryGetValue(probe.Path!, out Node? node))
                return node;
            _spellings.TryGetValue(probe.FinalPath!, out int count);
            _spellings[probe.FinalPath!] = ++count;
            if (count > MaxSpellingsPerFile)
                throw new FlowAbandonedException("'" + probe.FinalPath + "' is reached under more than " + MaxSpellingsPerFile + " paths");
            return _flowNodes[probe.Path!] = new Node(probe.Path!, file, probe.FinalPath);
        }

        /// <summary>An #if/#elif/#ifdef/#ifndef/#else under the state here: certain when it comes out the same
        /// for every possible definition of the macros it uses.</summary>
        private ConditionValue EvaluateFlow(ConditionalBranch branch, Node node)
        {
            if (branch.Kind == BranchKind.Else)
                return ConditionValue.True;
            if (branch.UsesHasInclude || branch.Condition.Count == 0)
                return ConditionValue.Unknown;
            if (branch.Kind != BranchKind.If)
            {
                bool? defined = _state!.Get(branch.Condition[0].Text).IsDefined;
                if (defined == null)
                    return ConditionValue.Unknown;
                return defined.Value == (branch.Kind == BranchKind.Ifdef) ? ConditionValue.True : ConditionValue.False;
            }
            bool sawTrue = false, sawFalse = false;
            var runs = new Stack<Dictionary<string, MacroDefinition?>>();
            runs.Push(new Dictionary<string, MacroDefinition?>(StringComparer.Ordinal));
            for (int run = 0; runs.Count > 0; run++)
            {
                if (run == MaxConditionRuns)
                    return ConditionValue.Unknown;
                Dictionary<string, MacroDefinition?> chosen = runs.Pop();
                ConditionValue value;
                try
                {
                    var expander = new MacroExpander((name, topLevel, output) => Chosen(chosen, name, expanding: true), node.Path, -1)
                    {
                        IsDefined = name => Chosen(chosen, name, expanding: false) != null,
                    };
                    List<ExpToken> expanded = expander.ExpandLine(branch.Condition, output => false);
                    value = ConditionEvaluator.Evaluate(expanded.ConvertAll(token => token.Token));
                }
                catch (FlowChoiceException choice)
                {
                    foreach (MacroDefinition? option in choice.Options)
                        runs.Push(new Dictionary<string, MacroDefinition?>(chosen, StringComparer.Ordinal) { [choice.Name] = option });
                    continue;
                }
                catch (Exception e) when (e is MacroExpander.UnknowableException || e is MacroExpander.MalformedException)
                {
                    return ConditionValue.Unknown;
                }
                if (value == ConditionValue.Unknown)
                    return ConditionValue.Unknown;
                sawTrue |= value == ConditionValue.True;
                sawFalse |= value == ConditionValue.False;
                if (sawTrue && sawFalse)
                    return ConditionValue.Unknown;
            }
            return sawTrue ? ConditionValue.True : sawFalse ? ConditionValue.False : ConditionValue.Unknown;
        }

        /// <summary>The definition of <paramref name="name"/> in this run of a condition (null: undefined); where
        /// the state allows several, the run stops and one run per possibility follows.</summary>
        private MacroDefinition? Chosen(Dictionary<string, MacroDefinition?> chosen, string name, bool expanding)
        {
            if (name == MacroExpander.VaOptChoice)
                throw new MacroExpander.UnknowableException(name);
            if (!chosen.TryGetValue(name, out MacroDefinition? definition))
            {
                MacroValues values = _state!.Get(name);
                var options = new List<MacroDefinition?>(values.Definitions);
                if (values.MayBeUnknown)
                    options.Add(s_unknownDefinition);
                if (values.MayBeUndefined)
                    options.Add(null);
                if (options.Count != 1)
                    throw new FlowChoiceException(name, options);
                definition = chosen[name] = options[0];
            }
            if (expanding && ReferenceEquals(definition, s_unknownDefinition))
                throw new MacroExpander.UnknowableException("'" + name + "' has a definition the scan does not know");
            return definition;
        }

        private sealed class FlowChoiceException : Exception
        {
            public FlowChoiceException(string name, List<MacroDefinition?> options)
            {
                Name = name;
                Options = options;
            }

            public string Name { get; }
            public List<MacroDefinition?> Options { get; }
        }
    }
}
