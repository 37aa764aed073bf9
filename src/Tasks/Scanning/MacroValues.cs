using System;
using System.Collections.Generic;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>
    /// What one macro may be at a point of the flow-sensitive walk: a set of possible definitions, possibly
    /// undefined, possibly defined in a way the scan does not know (a name NVRTC may predefine). Several
    /// possibilities come from merging the branches of a condition the scan could not decide.
    /// </summary>
    internal sealed class MacroValues
    {
        // Beyond this many definitions a macro is taken as "defined somehow": conditions on it stay unknown.
        private const int MaxDefinitions = 8;

        private static readonly MacroDefinition[] s_none = new MacroDefinition[0];

        public static readonly MacroValues Undefined = new MacroValues(s_none, mayBeUndefined: true, mayBeUnknown: false);
        public static readonly MacroValues DefinedUnknown = new MacroValues(s_none, mayBeUndefined: false, mayBeUnknown: true);
        public static readonly MacroValues Anything = new MacroValues(s_none, mayBeUndefined: true, mayBeUnknown: true);

        private MacroValues(IReadOnlyList<MacroDefinition> definitions, bool mayBeUndefined, bool mayBeUnknown)
        {
            Definitions = definitions;
            MayBeUndefined = mayBeUndefined;
            MayBeUnknown = mayBeUnknown;
        }

        public static MacroValues Of(MacroDefinition definition) => new MacroValues(new[] { definition }, false, false);

        public static MacroValues Among(IReadOnlyList<MacroDefinition> definitions, bool mayBeUndefined) =>
            new MacroValues(definitions, mayBeUndefined, false);

        public IReadOnlyList<MacroDefinition> Definitions { get; }
        public bool MayBeUndefined { get; }

        /// <summary>Defined, with a definition the scan does not know.</summary>
        public bool MayBeUnknown { get; }

        /// <summary>True or false when every possibility agrees; null otherwise.</summary>
        public bool? IsDefined =>
            !MayBeUndefined ? true : Definitions.Count == 0 && !MayBeUnknown ? false : (bool?)null;

        /// <summary>The possibilities under which the macro is defined (#ifdef taken) or not (#ifndef taken).</summary>
        public MacroValues Where(bool defined)
        {
            if (defined)
                return MayBeUndefined ? new MacroValues(Definitions, false, MayBeUnknown) : this;
            return MayBeUndefined ? Undefined : this; // an impossible branch keeps the state: harmless, never narrower
        }

        public MacroValues Union(MacroValues other)
        {
            if (ReferenceEquals(this, other))
                return this;
            var definitions = new List<MacroDefinition>(Definitions);
            foreach (MacroDefinition definition in other.Definitions)
            {
                if (!definitions.Exists(known => known.Key == definition.Key))
                    definitions.Add(definition);
            }
            bool unknown = MayBeUnknown || other.MayBeUnknown;
            if (definitions.Count > MaxDefinitions)
            {
                definitions.Clear();
                unknown = true;
            }
            var union = new MacroValues(definitions, MayBeUndefined || other.MayBeUndefined, unknown);
            return union.SameAs(this) ? this : union;
        }

        public bool SameAs(MacroValues other)
        {
            if (ReferenceEquals(this, other))
                return true;
            if (MayBeUndefined != other.MayBeUndefined || MayBeUnknown != other.MayBeUnknown || Definitions.Count != other.Definitions.Count)
                return false;
            foreach (MacroDefinition definition in Definitions)
            {
                bool found = false;
                foreach (MacroDefinition candidate in other.Definitions)
                    found |= ReferenceEquals(candidate, definition) || candidate.Key == definition.Key;
                if (!found)
                    return false;
            }
            return true;
        }

        public override string ToString() =>
            string.Join(" | ", Definitions.Count == 0 ? new string[0] : Array.ConvertAll(new List<MacroDefinition>(Definitions).ToArray(), d => d.Key))
            + (MayBeUndefined ? " | undefined" : "") + (MayBeUnknown ? " | unknown" : "");
    }

    /// <summary>
    /// The macro state of the walk: each name's <see cref="MacroValues"/>, where a name never set has its initial
    /// value (command line, NVRTC's predefined macros). Changes are journaled so that the walk can follow one
    /// branch of an undecided condition, take back its changes, follow the next, and merge them at the #endif.
    /// </summary>
    internal sealed class FlowState
    {
        private readonly Dictionary<string, MacroValues> _values = new Dictionary<string, MacroValues>(StringComparer.Ordinal);
        private readonly Func<string, MacroValues> _initial;
        private readonly List<Dictionary<string, MacroValues?>> _journals = new List<Dictionary<string, MacroValues?>>();

        public FlowState(Func<string, MacroValues> initial) => _initial = initial;

        /// <summary>Whether something set the name (as opposed to its initial value).</summary>
        public bool IsSet(string name) => _values.ContainsKey(name);

        public MacroValues Get(string name) => _values.TryGetValue(name, out MacroValues? value) ? value : _initial(name);

        public void Set(string name, MacroValues value)
        {
            _values.TryGetValue(name, out MacroValues? old);
            if (old != null && old.SameAs(value))
                return;
            if (_journals.Count > 0)
            {
                Dictionary<string, MacroValues?> journal = _journals[_journals.Count - 1];
                if (!journal.ContainsKey(name))
                    journal[name] = old;
            }
            _values[name] = value;
        }

        /// <summary>Starts recording changes; <see cref="Undo"/> takes them back.</summary>
        public Dictionary<string, MacroValues?> Begin()
        {
            var journal = new Dictionary<string, MacroValues?>(StringComparer.Ordinal);
            _journals.Add(journal);
            return journal;
        }

        /// <summary>The current values of every name changed since <paramref name="journals"/> began.</summary>
        public Dictionary<string, MacroValues> Capture(params Dictionary<string, MacroValues?>?[] journals)
        {
            var changes = new Dictionary<string, MacroValues>(StringComparer.Ordinal);
            foreach (Dictionary<string, MacroValues?>? journal in journals)
            {
                if (journal == null)
                    continue;
                foreach (string name in journal.Keys)
                    changes[name] = Get(name);
            }
            return changes;
        }

        /// <summary>Takes back the changes of the innermost journal, which must be <paramref name="journal"/>.</summary>
        public void Undo(Dictionary<string, MacroValues?> journal)
        {
            if (_journals.Count == 0 || !ReferenceEquals(_journals[_journals.Count - 1], journal))
                throw new InvalidOperationException("Journals are undone innermost first.");
            _journals.RemoveAt(_journals.Count - 1);
            foreach (KeyValuePair<string, MacroValues?> change in journal)
            {
                if (change.Value == null)
                    _values.Remove(change.Key);
                else
                    _values[change.Key] = change.Value;
            }
        }

        /// <summary>Sets each name to the union of what the given paths left it as (a path that did not change
        /// a name left it as it is now).</summary>
        public void Merge(List<Dictionary<string, MacroValues>> paths)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (Dictionary<string, MacroValues> path in paths)
                names.UnionWith(path.Keys);
            foreach (string name in names)
            {
                MacroValues now = Get(name);
                MacroValues? merged = null;
                foreach (Dictionary<string, MacroValues> path in paths)
                {
                    MacroValues value = path.TryGetValue(name, out MacroValues? changed) ? changed : now;
                    merged = merged == null ? value : merged.Union(value);
                }
                Set(name, merged!);
            }
        }
    }
}
