using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using KernelBuild.Tasks.IO;

namespace KernelBuild.Tasks.State
{
    /// <summary>
    /// Reads and writes <c>KernelBuild.state</c>: tab-separated lines, paths last (so they may hold spaces), closed by
    /// a checksum line. Anything unexpected (missing, truncated, edited, other version) reads as "no state", which
    /// means every kernel is rebuilt: a damaged state can cost time, never correctness. Format: docs/formats.md.
    /// </summary>
    internal static class BuildStateFile
    {
        public const string FileName = "KernelBuild.state";
        // 3: the checksum is over the file's bytes (it was over the decoded text's UTF-16 code units).
        private const string Header = "KernelBuild state 3";

        public static BuildState? TryRead(string path, out string? problem)
        {
            problem = null;
            byte[] bytes;
            try
            {
                if (!File.Exists(path))
                {
                    problem = "no state file";
                    return null;
                }
                // Bytes, never decoded as a whole (Parse): the text would take twice their memory again.
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                problem = "state file unreadable: " + e.Message;
                return null;
            }

            // Parse is total: whatever the bytes, it returns a state or null (the property tests feed it noise).
            BuildState? state = Parse(bytes);
            if (state == null) problem = "state file damaged or of another version";
            return state;
        }

        /// <exception cref="UnrepresentablePathException">See <see cref="Serialize"/>.</exception>
        public static void Write(string path, BuildState state)
        {
            // The body is encoded once: the checksum is taken over the bytes that are written.
            byte[] body = Encoding.UTF8.GetBytes(Body(state));
            byte[] end = Encoding.ASCII.GetBytes(ChecksumLine(body));
            var file = new byte[body.Length + end.Length];
            Buffer.BlockCopy(body, 0, file, 0, body.Length);
            Buffer.BlockCopy(end, 0, file, body.Length, end.Length);
            AtomicFile.WriteIfChanged(path, file);
        }

        /// <summary>The closing line of a state whose lines before it are <paramref name="body"/>: its checksum is
        /// over the body's UTF-8 bytes, as the file holds them.</summary>
        internal static string ChecksumLine(string body) => ChecksumLine(Encoding.UTF8.GetBytes(body));

        private static string ChecksumLine(byte[] body) => "end\t" + FastHash.Of(body, body.Length) + "\n";

        /// <summary>The whole file as text (<see cref="Write"/> writes its UTF-8 bytes).</summary>
        /// <exception cref="UnrepresentablePathException">A value the format cannot hold: a line break anywhere, or a tab in a
        /// field that is not the last on its line (only paths, names and entry points come last).</exception>
        public static string Serialize(BuildState state)
        {
            string body = Body(state);
            return body + ChecksumLine(body);
        }

        /// <summary>Every line but the closing checksum line.</summary>
        private static string Body(BuildState state)
        {
            var text = new StringBuilder();
            text.Append(Header).Append('\n');
            if (state.Compiler != null)
            {
                text.Append("compiler\t").Append(Field(state.Compiler.Identity)).Append('\t')
                    .Append(string.Join(",", state.Compiler.SupportedArchitectures.Select(a => a.ToString(CultureInfo.InvariantCulture))))
                    .Append('\t').Append(Last(state.Compiler.Name)).Append('\n');
                foreach (string file in state.Compiler.Files) text.Append("compilerfile\t").Append(Last(file)).Append('\n');
            }
            if (state.Manifest != null)
            {
                text.Append("manifest\t").Append(state.Manifest.Stamp.Serialize()).Append('\t').Append(Field(state.Manifest.Sha256))
                    .Append('\t').Append(Last(state.Manifest.RelativePath)).Append('\n');
            }
            if (state.SignatureIndex != null)
            {
                text.Append("signatureindex\t").Append(state.SignatureIndex.Stamp.Serialize()).Append('\t').Append(Field(state.SignatureIndex.Sha256))
                    .Append('\t').Append(Last(state.SignatureIndex.RelativePath)).Append('\n');
            }

            // Files and probes are listed once and referred to by their position: many kernels share them.
            var fileIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (TrackedFile file in state.Files.Values.OrderBy(f => f.Path, StringComparer.Ordinal))
            {
                fileIndex[file.Path] = fileIndex.Count;
                text.Append("file\t").Append(file.Stamp.Serialize()).Append('\t').Append(Field(file.Sha256)).Append('\t').Append(Last(file.Path)).Append('\n');
            }
            var probeIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (string probe in state.Kernels.Values.SelectMany(k => k.AbsentProbes).Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal))
            {
                probeIndex[probe] = probeIndex.Count;
                text.Append("probe\t").Append(Last(probe)).Append('\n');
            }

            foreach (KernelRecord kernel in state.Kernels.Values.OrderBy(k => k.RelativePath, StringComparer.Ordinal))
            {
                text.Append("kernel\t").Append(Field(kernel.Fingerprint)).Append('\t').Append(kernel.Complete ? '1' : '0').Append('\t').Append(Last(kernel.RelativePath)).Append('\n');
                foreach (string entry in kernel.EntryPoints) text.Append("entry\t").Append(Last(entry)).Append('\n');
                foreach (RecordedWarning warning in kernel.Warnings)
                {
                    text.Append("warning\t").Append(warning.Line.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(OneField(warning.Code))
                        .Append('\t').Append(OneField(warning.File)).Append('\t').Append(OneField(warning.Message)).Append('\n');
                }
                foreach (OutputRecord output in kernel.Outputs)
                {
                    text.Append("output\t").Append(Field(output.Architecture)).Append('\t').Append(output.Kind.ToText()).Append('\t')
                        .Append(output.Stamp.Serialize()).Append('\t').Append(Field(output.Sha256)).Append('\t').Append(Last(output.RelativePath)).Append('\n');
                }
                text.Append("deps\t").Append(string.Join(" ", kernel.Dependencies.Select(d => fileIndex[d].ToString(CultureInfo.InvariantCulture)))).Append('\n');
                text.Append("absent\t").Append(string.Join(" ", kernel.AbsentProbes.Select(p => probeIndex[p].ToString(CultureInfo.InvariantCulture)))).Append('\n');
            }
            return text.ToString();
        }

        /// <summary>A value that the next tab ends: it may hold neither a tab nor a line break.</summary>
        private static string Field(string value)
        {
            if (value.IndexOfAny(s_fieldEnds) >= 0)
                throw new UnrepresentablePathException("The value " + UnrepresentablePathException.Quote(value) + " cannot be written to the state file: it contains a tab or line break.");
            return value;
        }

        /// <summary>The last value on its line (a path, a name): it may hold tabs, not a line break.</summary>
        private static string Last(string value)
        {
            if (value.IndexOf('\n') >= 0)
                throw new UnrepresentablePathException("The path " + UnrepresentablePathException.Quote(value) + " cannot be written to the state file: it contains a line break.");
            return value;
        }

        private static readonly char[] s_fieldEnds = { '\t', '\n' };

        /// <summary>The state in <paramref name="text"/>, or null when it is not a whole, unedited state of this version.</summary>
        internal static BuildState? Parse(string text) => Parse(Encoding.UTF8.GetBytes(text));

        /// <summary>The state in the file's <paramref name="bytes"/>, or null when they are not a whole, unedited state of this version.</summary>
        /// <remarks>
        /// Fields are read in place (<see cref="StateLine"/>): only the values the state keeps become strings, and the
        /// bytes are never decoded as a whole. The reader that split each line into substrings allocated 6.5 MB for a
        /// 540 KB state at 500 kernels, the one that decoded the file first and then read in place 2.9 MB, and in a
        /// fresh build process every megabyte of new memory costs about 3 ms of page faults on the development
        /// machine (docs/benchmarks.md).
        /// </remarks>
        internal static BuildState? Parse(byte[] bytes)
        {
            // The last line is "end\t" + 32 hex digits + "\n".
            const int checksumLength = 32;
            int endAt = bytes.Length - (4 + checksumLength + 1);
            if (endAt < Header.Length + 1 || !StateLine.AsciiAt(bytes, 0, Header + "\n") || !StateLine.AsciiAt(bytes, endAt, "end\t") || bytes[bytes.Length - 1] != '\n'
                || !StateLine.AsciiAt(bytes, endAt + 4, FastHash.Of(bytes, endAt)))
            {
                return null; // not a state of this version, or truncated or edited
            }

            var reader = new StateReader();
            var line = new StateLine(bytes);
            int lineStart = Header.Length + 1;
            while (lineStart < endAt)
            {
                int lineEnd = Array.IndexOf(bytes, (byte)'\n', lineStart, endAt - lineStart);
                if (lineEnd < 0) return null;
                line.MoveTo(lineStart, lineEnd);
                if (!reader.Read(line)) return null;
                lineStart = lineEnd + 1;
            }
            return reader.State;
        }

        /// <summary>Tabs and line breaks would split a record: a warning's text is shown, never parsed, so they become spaces.</summary>
        private static string OneField(string text) => text.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');

        /// <summary>Builds a state from its lines, in file order; each method returns false on a line it cannot take.</summary>
        private sealed class StateReader
        {
            private readonly List<string> _files = new List<string>();
            private readonly List<string> _probes = new List<string>();
            private KernelRecord? _kernel;

            public BuildState State { get; } = new BuildState();

            public bool Read(StateLine line)
            {
                if (line.KindIs("file")) return ReadFile(line);
                if (line.KindIs("output")) return _kernel != null && ReadOutput(line, _kernel);
                if (line.KindIs("deps")) return _kernel != null && line.AddByIndex(_files, _kernel.Dependencies);
                if (line.KindIs("absent")) return _kernel != null && line.AddByIndex(_probes, _kernel.AbsentProbes);
                if (line.KindIs("kernel")) return ReadKernel(line);
                if (line.KindIs("entry")) return _kernel != null && Add(_kernel.EntryPoints, line.Rest());
                if (line.KindIs("probe")) return Add(_probes, line.Rest());
                if (line.KindIs("warning")) return _kernel != null && ReadWarning(line, _kernel);
                if (line.KindIs("compiler")) return ReadCompiler(line);
                if (line.KindIs("compilerfile")) return State.Compiler != null && Add(State.Compiler.Files, line.Rest());
                if (line.KindIs("manifest")) return ReadOutputFile(line, OutputKind.Manifest, record => State.Manifest = record);
                if (line.KindIs("signatureindex")) return ReadOutputFile(line, OutputKind.SignatureIndex, record => State.SignatureIndex = record);
                return false;
            }

            private static bool Add(List<string> list, string value)
            {
                list.Add(value);
                return true;
            }

            private bool ReadCompiler(StateLine line)
            {
                if (!line.TryField(out string identity) || !line.TryFieldBounds(out int architecturesStart, out int architecturesEnd)) return false;
                var compiler = new CompilerRecord { Identity = identity, Name = line.Rest() };
                if (!line.AddNumbers(architecturesStart, architecturesEnd, ',', compiler.SupportedArchitectures)) return false;
                State.Compiler = compiler;
                return true;
            }

            private bool ReadFile(StateLine line)
            {
                if (!line.TryStamp(out FileStamp stamp) || !line.TryField(out string sha256)) return false;
                string path = line.Rest();
                State.Files[path] = new TrackedFile(path, stamp, sha256);
                _files.Add(path);
                return true;
            }

            private static bool ReadOutputFile(StateLine line, OutputKind kind, Action<OutputRecord> keep)
            {
                if (!line.TryStamp(out FileStamp stamp) || !line.TryField(out string sha256)) return false;
                keep(new OutputRecord { Kind = kind, Stamp = stamp, Sha256 = sha256, RelativePath = line.Rest() });
                return true;
            }

            private bool ReadKernel(StateLine line)
            {
                if (!line.TryField(out string fingerprint) || !line.TryField(out string complete)) return false;
                _kernel = new KernelRecord { Fingerprint = fingerprint, Complete = complete == "1", RelativePath = line.Rest() };
                State.Kernels[_kernel.RelativePath] = _kernel;
                return true;
            }

            private static bool ReadWarning(StateLine line, KernelRecord kernel)
            {
                if (!line.TryNumber(out long number, allowSign: false) || number > int.MaxValue
                    || !line.TryField(out string code) || !line.TryField(out string file)) return false;
                kernel.Warnings.Add(new RecordedWarning(code, file, (int)number, line.Rest()));
                return true;
            }

            private static bool ReadOutput(StateLine line, KernelRecord kernel)
            {
                if (!line.TryField(out string architecture) || !line.TryField(out string kindText) || !OutputKinds.TryParse(kindText, out OutputKind kind)
                    || !line.TryStamp(out FileStamp stamp) || !line.TryField(out string sha256)) return false;
                kernel.Outputs.Add(new OutputRecord { Architecture = architecture, Kind = kind, Stamp = stamp, Sha256 = sha256, RelativePath = line.Rest() });
                return true;
            }
        }
    }
}
