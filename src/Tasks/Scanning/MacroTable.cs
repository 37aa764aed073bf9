using System;
using System.Collections.Generic;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>
    /// Every definition of every macro met anywhere in the scan (and on the command line), kept all at
    /// once. Flow-insensitive on purpose: which definition is in force at a computed include depends on
    /// include order and on conditions the scanner does not evaluate, but it is always one of these, so
    /// trying each of them gives a superset. #undef is ignored for the same reason.
    /// </summary>
    internal sealed class MacroTable
    {
        private readonly Dictionary<string, List<MacroDefinition>> _definitions =
            new Dictionary<string, List<MacroDefinition>>(StringComparer.Ordinal);
        private readonly HashSet<string> _keys = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Grows whenever a new distinct definition arrives, so that computed includes are
        /// re-resolved only when they could resolve differently.</summary>
        public int Version { get; private set; }

        public void Add(MacroDefinition definition)
        {
            if (!_keys.Add(definition.Key))
                return;
            if (!_definitions.TryGetValue(definition.Name, out List<MacroDefinition>? list))
            {
                list = new List<MacroDefinition>();
                _definitions.Add(definition.Name, list);
            }
            list.Add(definition);
            Version++;
        }

        /// <summary>Adds a -D option: NAME, or NAME(params) for a function-like macro, and its value.</summary>
        public void AddCommandLine(string name, string value)
        {
            // "-DF(x)=#x" means what the line "#define F(x) #x" does.
            string line = name + " " + value.Replace('\n', ' ').Replace('\r', ' ');
            foreach (MacroDefinition definition in DirectiveParser.ParseDefine(line))
                Add(definition);
        }

        public IReadOnlyList<MacroDefinition>? Get(string name) =>
            _definitions.TryGetValue(name, out List<MacroDefinition>? list) ? list : null;
    }
}
