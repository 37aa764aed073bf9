using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using KernelBuild.Tasks.IO;
using static KernelBuild.Tasks.State.RecordText;

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
        public static void Write(string path, BuildState state) => AtomicFile.WriteIfChanged(path, Bytes(state));

        /// <summary>The closing line of a state whose lines before it are <paramref name="body"/>: its checksum is
        /// over the body's UTF-8 bytes, as the file holds them.</summary>
        internal static string ChecksumLine(string body)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            return RecordText.ChecksumLine(bytes, bytes.Length);
        }

        /// <summary>The whole file as text (<see cref="Write"/> writes its UTF-8 bytes).</summary>
        /// <exception cref="UnrepresentablePathException">A value the format cannot hold: a line break anywhere, or a tab in a
        /// field that is not the last on its line (only paths, names and entry points come last).</exception>
        public static string Serialize(BuildState state) => Encoding.UTF8.GetString(Bytes(state));

        /// <summary>The file's bytes, the closing checksum line included.</summary>
        private static byte[] Bytes(BuildState state)
        {
            int lines = state.Files.Count + state.Kernels.Values.Sum(k => 4 + k.Outputs.Count + k.EntryPoints.Count + k.AbsentProbes.Count);
            var writer = new RecordWriter(Header, lines * 120);
            if (state.Compiler != null)
            {
                writer.Line("compiler").Field(state.Compiler.Identity)
                    .Field(string.Join(",", state.Compiler.SupportedArchitectures.Select(a => a.ToString(CultureInfo.InvariantCulture))))
                    .Last(state.Compiler.Name);
                foreach (string file in state.Compiler.Files) writer.Line("compilerfile").Last(file);
            }
            if (state.Manifest != null)
            {
                writer.Line("manifest").Stamp(state.Manifest.Stamp).Field(state.Manifest.Sha256).Last(state.Manifest.RelativePath);
            }
            if (state.SignatureIndex != null)
            {
                writer.Line("signatureindex").Stamp(state.SignatureIndex.Stamp).Field(state.SignatureIndex.Sha256).Last(state.SignatureIndex.RelativePath);
            }
            if (state.Bundle != null)
            {
                writer.Line("bundle").Stamp(state.Bundle.Stamp).Field(state.Bundle.Sha256).Last(state.Bundle.RelativePath);
            }

            // Files and probes are listed once and referred to by their position: many kernels share them.
            var fileIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (TrackedFile file in state.Files.Values.OrderBy(f => f.Path, StringComparer.Ordinal))
            {
                fileIndex[file.Path] = fileIndex.Count;
                AppendFile(writer, file);
            }
            var probeIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (string probe in state.Kernels.Values.SelectMany(k => k.AbsentProbes).Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal))
            {
                probeIndex[probe] = probeIndex.Count;
                writer.Line("probe").Last(probe);
            }

            foreach (KernelRecord kernel in state.Kernels.Values.OrderBy(k => k.RelativePath, StringComparer.Ordinal))
            {
                writer.Line("kernel").Field(kernel.Fingerprint).Field(kernel.Complete ? "1" : "0").Last(kernel.RelativePath);
                foreach (string entry in kernel.EntryPoints) writer.Line("entry").Last(entry);
                foreach (RecordedWarning warning in kernel.Warnings) AppendWarning(writer, warning);
                foreach (OutputRecord output in kernel.Outputs)
                {
                    writer.Line("output").Field(output.Architecture).Field(output.Kind.ToText()).Stamp(output.Stamp).Field(output.Sha256).Last(output.RelativePath);
                }
                writer.Line("deps").Last(string.Join(" ", kernel.Dependencies.Select(d => fileIndex[d].ToString(CultureInfo.InvariantCulture))));
                writer.Line("absent").Last(string.Join(" ", kernel.AbsentProbes.Select(p => probeIndex[p].ToString(CultureInfo.InvariantCulture))));
            }
            return writer.ToArray();
        }

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
            var reader = new StateReader();
            return RecordText.TryReadLines(bytes, Header, reader.Read) ? reader.State : null;
        }

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
                if (line.KindIs("bundle")) return ReadOutputFile(line, OutputKind.Bundle, record => State.Bundle = record);
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
                if (!RecordText.TryReadFile(line, out TrackedFile? file)) return false;
                State.Files[file!.Path] = file;
                _files.Add(file.Path);
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
                if (!RecordText.TryReadWarning(line, out RecordedWarning? warning)) return false;
                kernel.Warnings.Add(warning!);
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
