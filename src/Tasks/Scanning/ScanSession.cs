using System;
using System.Collections.Generic;
using System.IO;
using KernelBuild.Tasks.IO;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>
    /// One scan: a walk of the include graph from the source. A node is a file under the path NVRTC
    /// would open it by, since that path's directory is where its quoted includes are looked for; its
    /// contents come from the cache, keyed by the file's canonical path. Every node is visited once, so
    /// include guards, #pragma once and include cycles need no special handling: what a file includes
    /// does not depend on how often it is entered (all groups but #if 0 are followed anyway).
    /// Computed includes are re-resolved whenever a newly found file adds a macro definition, until
    /// nothing new turns up.
    /// </summary>
    internal sealed partial class ScanSession
    {
        // A file reached under more spellings than this sits in a symbolic-link loop ("d/loop/loop/...").
        private const int MaxSpellingsPerFile = 64;

        private readonly IncludeScanRequest _request;
        private readonly IReadOnlyList<string> _includeDirectories;
        private readonly IncludeScanCache _cache;
        private readonly PathResolver _resolver = new PathResolver();
        private readonly MacroTable _macros = new MacroTable();

        private readonly List<ScannedFile> _files = new List<ScannedFile>();
        private readonly HashSet<string> _listed = new HashSet<string>(StringComparer.Ordinal);
        private readonly List<string> _absent = new List<string>();
        private readonly HashSet<string> _absentSet = new HashSet<string>(StringComparer.Ordinal);
        private readonly List<ScanDiagnostic> _warnings = new List<ScanDiagnostic>();
        private readonly HashSet<string> _warningKeys = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<string> _visited = new HashSet<string>(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _spellings = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly Queue<Node> _queue = new Queue<Node>();
        private readonly List<ComputedSite> _computed = new List<ComputedSite>();
        private readonly Dictionary<string, List<HasIncludeWrapper>> _wrappers = new Dictionary<string, List<HasIncludeWrapper>>(StringComparer.Ordinal);
        private readonly HashSet<string> _wrapperKeys = new HashSet<string>(StringComparer.Ordinal);
        private readonly List<MacroForward> _forwards = new List<MacroForward>();
        private readonly List<PendingCall> _calls = new List<PendingCall>();
        private readonly HashSet<string> _linksBeforeDotDot = new HashSet<string>(StringComparer.Ordinal);
        private bool _complete = true;

        // Deciding conditions (see ConditionalGuard): a name's state is certain only where no file of the
        // scan touches it (#define/#undef anywhere); it then comes from -D/-U or NVRTC's predefined macros.
        private readonly PredefinedMacros _predefined;
        private readonly NvrtcPreprocessorBehaviour _behaviour;
        private readonly Dictionary<string, MacroDefinition?> _commandLine = new Dictionary<string, MacroDefinition?>(StringComparer.Ordinal);
        private readonly ISet<string> _uncertain;
        private readonly bool _evaluateConditions;
        private readonly HashSet<string> _touched = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<string> _relied = new HashSet<string>(StringComparer.Ordinal);
        private readonly Dictionary<ConditionalBranch, ConditionValue> _branchValues = new Dictionary<ConditionalBranch, ConditionValue>();
        private Node? _current;

        /// <param name="uncertain">Names to treat as unknown from the start: those a previous attempt found
        /// touched by some file only after it had relied on them.</param>
        /// <param name="evaluateConditions">False to take every branch but literal #if 0 ones.</param>
        public ScanSession(IncludeScanRequest request, IncludeScanCache cache, ISet<string> uncertain, bool evaluateConditions)
        {
            _request = request;
            _cache = cache;
            _includeDirectories = request.IncludeDirectories ?? new string[0];
            _predefined = new PredefinedMacros(request);
            _behaviour = NvrtcPreprocessorBehaviour.For(request.NvrtcVersion);
            _uncertain = uncertain;
            _evaluateConditions = evaluateConditions;
        }

        /// <summary>Some condition was decided on a name that a file read later touches: the scan must run again
        /// with <see cref="Touched"/> as uncertain.</summary>
        public bool ReliedOnTouchedName => _relied.Overlaps(_touched);

        public IEnumerable<string> Touched => _touched;

        /// <summary>For diagnostics and tests: how many scans <see cref="IncludeScanner.Scan(IncludeScanRequest, IncludeScanCache)"/> ran.</summary>
        [ThreadStatic]
        internal static int LastAttempts;

        public IncludeScanResult Run()
        {
            (Probe source, ParsedFile sourceFile) = Start();
            Enqueue(source, sourceFile, null, 0);

            // NVRTC reads --pre-include files before the source, finding them like <name>.
            foreach (string preInclude in _request.PreIncludes ?? new string[0])
            {
                if (!string.IsNullOrEmpty(preInclude))
                    Resolve(null, 0, new HeaderName(preInclude, angled: true), IncludeKind.Include);
            }

            while (true)
            {
                while (_queue.Count > 0)
                    Visit(_queue.Dequeue());
                MatchWrapperCalls();
                ReevaluateComputedSites();
                if (_queue.Count == 0)
                    break;
            }
            return Finish();
        }

        /// <summary>Takes in the command line and lists the source.</summary>
        private (Probe Source, ParsedFile File) Start()
        {
            foreach (KeyValuePair<string, string> define in CommandLineDefines(_request.Defines))
                _macros.AddCommandLine(define.Key, define.Value);
            foreach (KeyValuePair<string, string?> operation in _request.Defines ?? new KeyValuePair<string, string?>[0])
            {
                string name = MacroName(operation.Key);
                _commandLine[name] = null;
                if (operation.Value != null)
                {
                    foreach (MacroDefinition definition in DirectiveParser.ParseDefine(operation.Key + " " + operation.Value.Replace('\n', ' ')))
                        _commandLine[name] = definition;
                }
            }

            Probe source = _resolver.Probe(_request.SourcePath);
            if (!source.IsFile)
                throw new FileNotFoundException("The kernel source does not exist.", _request.SourcePath);
            CheckLink(source, null, 0);
            ParsedFile sourceFile = _cache.Get(source.FinalPath!, source.Length, source.Stamp, out FileStamp sourceStamp); // an unreadable source is the caller's error
            List(source, sourceFile, sourceStamp);
            return (source, sourceFile);
        }

        private void ReevaluateComputedSites()
        {
            foreach (ComputedSite site in _computed.ToArray())
            {
                if (site.Version != _macros.Version)
                    Evaluate(site);
            }
        }

        private IncludeScanResult Finish()
        {
            foreach (ComputedSite site in _computed)
            {
                if (site.Failure != null)
                {
                    Warn(site.Node.Path, site.Site.Line, "cannot resolve " + Describe(site.Site) + " statically: " + site.Failure +
                        ". The kernel will be recompiled on every build.");
                }
            }
            return new IncludeScanResult(_files, _absent, _warnings, _complete);
        }

        /// <summary>The directive as written, for a warning: "#include XSTR(NAME)".</summary>
        private static string Describe(IncludeSite site)
        {
            var operand = new System.Text.StringBuilder();
            foreach (PpToken token in site.Tokens!)
                operand.Append(operand.Length > 0 && token.SpaceBefore ? " " : "").Append(token.Text);
            switch (site.Kind)
            {
                case IncludeKind.Include:
                    return "'#include " + operand + "'";
                case IncludeKind.IncludeNext:
                    return "'#include_next " + operand + "'";
                case IncludeKind.HasIncludeNext:
                    return "'__has_include_next(" + operand + ")'";
                default:
                    return "'__has_include(" + operand + ")'";
            }
        }

        /// <summary>
        /// The macros the command line leaves defined: -D and -U apply in order, as NVRTC applies them (measured:
        /// "-DY -UY" leaves Y undefined, "-UY -DY" defines it). Unlike #undef in a file, whose effect depends
        /// on flow the scanner does not follow, a command-line -U is certain, so its define is dropped.
        /// </summary>
        private static IEnumerable<KeyValuePair<string, string>> CommandLineDefines(IReadOnlyList<KeyValuePair<string, string?>>? operations)
        {
            var defined = new List<KeyValuePair<string, string>>();
            foreach (KeyValuePair<string, string?> operation in operations ?? new KeyValuePair<string, string?>[0])
            {
                string name = MacroName(operation.Key);
                defined.RemoveAll(define => MacroName(define.Key) == name);
                if (operation.Value != null)
                    defined.Add(new KeyValuePair<string, string>(operation.Key, operation.Value));
            }
            return defined;
        }

        /// <summary>NAME of "NAME" or of a function-like "NAME(params)".</summary>
        private static string MacroName(string define)
        {
            int paren = define.IndexOf('(');
            return (paren < 0 ? define : define.Substring(0, paren)).Trim();
        }

        private void Visit(Node node)
        {
            _current = node;
            _branchValues.Clear();
            _touched.UnionWith(node.File.TouchedMacros);
            foreach (MacroDefinition definition in node.File.Macros)
            {
                if (IsLive(definition.Guard))
                    _macros.Add(definition);
            }
            foreach (HasIncludeWrapper wrapper in node.File.Wrappers)
                AddWrapper(wrapper);
            _forwards.AddRange(node.File.Forwards);
            foreach (MacroCall call in node.File.Calls)
                _calls.Add(new PendingCall(node, call));
            foreach (IncludeSite site in node.File.Sites)
            {
                if (!IsLive(site.Guard))
                    continue;
                if (site.IsComputed)
                {
                    var computedSite = new ComputedSite(node, site);
                    _computed.Add(computedSite);
                    Evaluate(computedSite);
                }
                else
                    Resolve(node, site.Line, site.Name, site.Kind);
            }
        }

        /// <summary>Whether NVRTC may read a directive under <paramref name="guard"/>: no enclosing branch is
        /// certainly not taken.</summary>
        private bool IsLive(ConditionalGuard? guard)
        {
            for (; guard != null; guard = guard.Parent)
            {
                List<ConditionalBranch> branches = guard.Block.Branches;
                if (ValueOf(branches[guard.Branch]) == ConditionValue.False)
                    return false;
                for (int i = 0; i < guard.Branch; i++)
                {
                    if (ValueOf(branches[i]) == ConditionValue.True)
                        return false;
                }
            }
            return true;
        }

        private ConditionValue ValueOf(ConditionalBranch branch)
        {
            if (!_branchValues.TryGetValue(branch, out ConditionValue value))
                _branchValues[branch] = value = Evaluate(branch);
            return value;
        }

        private ConditionValue Evaluate(ConditionalBranch branch)
        {
            if (branch.Kind == BranchKind.Else)
                return ConditionValue.True;
            if (!_evaluateConditions || branch.UsesHasInclude || branch.Condition.Count == 0)
                return ConditionValue.Unknown;
            if (branch.Kind != BranchKind.If)
            {
                bool? defined = IsDefined(branch.Condition[0].Text);
                if (defined == null)
                    return ConditionValue.Unknown;
                return defined.Value == (branch.Kind == BranchKind.Ifdef) ? ConditionValue.True : ConditionValue.False;
            }
            try
            {
                var expander = new MacroExpander((name, topLevel, output) => CertainDefinition(name), _current!.Path, -1) { IsDefined = IsDefined };
                List<ExpToken> expanded = expander.ExpandLine(branch.Condition, output => false);
                return ConditionEvaluator.Evaluate(expanded.ConvertAll(token => token.Token));
            }
            catch (Exception e) when (e is MacroExpander.UnknowableException || e is MacroExpander.MalformedException)
            {
                return ConditionValue.Unknown;
            }
        }

        private bool? IsDefined(string name)
        {
            if (!_uncertain.Contains(name) && !_touched.Contains(name) && !_commandLine.ContainsKey(name)
                && _predefined.Lookup(name, out _) == PredefinedState.DefinedWithUnknownValue)
            {
                _relied.Add(name);
                return true;
            }
            try
            {
                return CertainDefinition(name) != null;
            }
            catch (MacroExpander.UnknowableException)
            {
                return null;
            }
        }

        /// <summary>The definition <paramref name="name"/> certainly has wherever the scan may be (null: certainly
        /// undefined); throws where that is not known.</summary>
        private MacroDefinition? CertainDefinition(string name)
        {
            if (name == MacroExpander.VaOptChoice || _uncertain.Contains(name) || _touched.Contains(name))
                throw new MacroExpander.UnknowableException(name);
            PredefinedState predefined = _predefined.Lookup(name, out MacroDefinition? builtin);
            if (_commandLine.TryGetValue(name, out MacroDefinition? fromCommandLine))
            {
                // -U does not remove what NVRTC predefines (measured with __CUDACC__).
                if (fromCommandLine == null && predefined != PredefinedState.NotPredefined && predefined != PredefinedState.Undefined)
                    throw new MacroExpander.UnknowableException(name);
                builtin = fromCommandLine;
            }
            else if (predefined == PredefinedState.Unknown || predefined == PredefinedState.DefinedWithUnknownValue)
                throw new MacroExpander.UnknowableException(name);
            // Only a certain answer is relied on: a file read later that touches the name invalidates it.
            _relied.Add(name);
            return builtin;
        }

        /// <summary>Closes the set of __has_include wrappers over forwarding macros, then turns every call of
        /// a wrapper (at the wrapped argument) into a probe. Like macros, flow-insensitive: a superset.</summary>
        private void MatchWrapperCalls()
        {
            for (bool grew = true; grew;)
            {
                grew = false;
                foreach (MacroForward forward in _forwards)
                {
                    if (!_wrappers.TryGetValue(forward.Callee, out List<HasIncludeWrapper>? callee))
                        continue;
                    foreach (HasIncludeWrapper wrapper in callee.ToArray())
                    {
                        if (wrapper.ParameterIndex == forward.ArgumentIndex)
                            grew |= AddWrapper(new HasIncludeWrapper(forward.Name, forward.ParameterIndex, wrapper.Kind));
                    }
                }
            }
            foreach (PendingCall pending in _calls)
            {
                if (!_wrappers.TryGetValue(pending.Call.Callee, out List<HasIncludeWrapper>? matches))
                    continue;
                foreach (HasIncludeWrapper wrapper in matches)
                {
                    if (wrapper.ParameterIndex == pending.Call.ArgumentIndex && pending.Matched.Add(wrapper.Kind))
                    {
                        var site = new ComputedSite(pending.Node, new IncludeSite(wrapper.Kind, pending.Call.Line, pending.Call.Argument));
                        _computed.Add(site);
                        Evaluate(site);
                    }
                }
            }
        }

        private bool AddWrapper(HasIncludeWrapper wrapper)
        {
            if (!_wrapperKeys.Add(wrapper.Key))
                return false;
            if (!_wrappers.TryGetValue(wrapper.Name, out List<HasIncludeWrapper>? list))
                _wrappers[wrapper.Name] = list = new List<HasIncludeWrapper>();
            list.Add(wrapper);
            return true;
        }

        private void Evaluate(ComputedSite site)
        {
            site.Version = _macros.Version;
            if (!ComputedIncludeResolver.TryResolve(site.Site.Tokens!, _macros, _predefined, site.Node.Path, site.Site.Line,
                out List<HeaderName> names, out string failure))
            {
                site.Failure = failure;
                return;
            }
            site.Failure = null;
            foreach (HeaderName name in names)
            {
                if (site.Resolved.Add(name.ToString()))
                    Resolve(site.Node, site.Site.Line, name, site.Site.Kind);
            }
        }

        /// <summary>Probes a name's candidates in NVRTC's order, recording absent ones, up to the first
        /// file found (every file, for the *_next forms).</summary>
        /// <param name="found">Where to put the files found to be read, for the flow-sensitive walk; null to queue them.</param>
        /// <param name="directories">The -I directories to search (null: all).</param>
        private void Resolve(Node? includer, int line, HeaderName name, IncludeKind kind, List<Node>? found = null, IReadOnlyList<string>? directories = null)
        {
            bool everyMatch = kind == IncludeKind.IncludeNext || kind == IncludeKind.HasIncludeNext;
            bool reads = kind == IncludeKind.Include || kind == IncludeKind.IncludeNext;
            foreach (string candidate in HeaderSearch.Candidates(name, includer?.Directory, directories ?? _includeDirectories, _request.NoSourceInclude))
            {
                Probe probe = _resolver.Probe(candidate);
                CheckLink(probe, includer, line);
                if (!probe.IsFile)
                {
                    if (probe.Path != null && _absentSet.Add(probe.Path))
                        _absent.Add(probe.Path);
                    continue;
                }
                ParsedFile file;
                FileStamp stamp;
                try
                {
                    file = _cache.Get(probe.FinalPath!, probe.Length, probe.Stamp, out stamp);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    _complete = false;
                    Warn(includer?.Path ?? _request.SourcePath, line, "cannot read '" + probe.Path + "': " + e.Message);
                    return;
                }
                List(probe, file, stamp);
                if (reads && found != null)
                    found.Add(FlowNode(probe, file, includer, line));
                else if (reads)
                    Enqueue(probe, file, includer, line);
                if (!everyMatch)
                    return;
            }
        }

        /// <summary>"link/.." leads to the parent of the link's target: retargeting the link would change
        /// what NVRTC opens without changing any listed file, so the caller must rebuild every time.</summary>
        private void CheckLink(Probe probe, Node? includer, int line)
        {
            if (probe.LinkBeforeDotDot != null && _linksBeforeDotDot.Add(probe.LinkBeforeDotDot))
            {
                Warn(includer?.Path ?? _request.SourcePath, line, "the path '" + probe.LinkBeforeDotDot +
                    "/..' goes back through a symbolic link, so it depends on the link's target, which cannot be tracked. " +
                    "The kernel will be recompiled on every build.");
            }
        }

        // A stat follows links, so the target's stamp is the link path's too.
        private void List(Probe probe, ParsedFile file, FileStamp stamp)
        {
            if (_listed.Add(probe.Path!))
                _files.Add(new ScannedFile(probe.Path!, file.Sha256, stamp));
            // The final target too: editing it changes the file, retargeting a link changes the path's bytes.
            if (probe.FinalPath != probe.Path && _listed.Add(probe.FinalPath!))
                _files.Add(new ScannedFile(probe.FinalPath!, file.Sha256, stamp));
        }

        private void Enqueue(Probe probe, ParsedFile file, Node? includer, int line)
        {
            if (!_visited.Add(probe.Path!))
                return;
            _spellings.TryGetValue(probe.FinalPath!, out int count);
            _spellings[probe.FinalPath!] = ++count;
            if (count > MaxSpellingsPerFile)
            {
                _complete = false;
                Warn(includer?.Path ?? _request.SourcePath, line, "'" + probe.FinalPath + "' is reached under more than " +
                    MaxSpellingsPerFile + " paths (a symbolic-link loop?); not following it further.");
                return;
            }
            _queue.Enqueue(new Node(probe.Path!, file));
        }

        private void Warn(string file, int line, string message)
        {
            if (_warningKeys.Add(file + "\0" + line + "\0" + message))
                _warnings.Add(new ScanDiagnostic(file, line, message));
            _complete = false;
        }

        private sealed class Node
        {
            public Node(string path, ParsedFile file, string? finalPath = null)
            {
                Path = path;
                FinalPath = finalPath ?? path;
                Directory = PathResolver.DirectoryOf(path);
                File = file;
            }

            public string Path { get; }

            /// <summary>The canonical path (what #pragma once may be keyed on).</summary>
            public string FinalPath { get; }

            public string OncePathKey => _oncePathKey ??= OnceKey(Path);
            public string OnceFileKey => _onceFileKey ??= OnceKey(FinalPath);

            private string? _oncePathKey, _onceFileKey;

            /// <summary>The flow walk has taken in the file's wrappers and calls (once per node).</summary>
            public bool Entered { get; set; }
            public string Directory { get; }
            public ParsedFile File { get; }
        }

        private sealed class PendingCall
        {
            public PendingCall(Node node, MacroCall call)
            {
                Node = node;
                Call = call;
            }

            public Node Node { get; }
            public MacroCall Call { get; }
            public HashSet<IncludeKind> Matched { get; } = new HashSet<IncludeKind>();
        }

        private sealed class ComputedSite
        {
            public ComputedSite(Node node, IncludeSite site)
            {
                Node = node;
                Site = site;
            }

            public Node Node { get; }
            public IncludeSite Site { get; }
            public int Version { get; set; } = -1;
            public string? Failure { get; set; }
            public HashSet<string> Resolved { get; } = new HashSet<string>(StringComparer.Ordinal);
        }
    }
}
