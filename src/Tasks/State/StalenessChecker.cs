using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.Scanning;

namespace KernelBuild.Tasks.State
{
    /// <summary>
    /// Decides, for each kernel, whether its recorded build is still current, and if not, why.
    /// Cheap when nothing changed: one stat per distinct file, no reads. A file whose stat differs from the
    /// record is hashed, and only a different hash makes it "changed" (a touch alone changes nothing).
    /// </summary>
    internal sealed class StalenessChecker
    {
        private enum FileVerdict
        {
            Unchanged,
            /// <summary>Its bytes differ from the recorded hash (a touch alone is not a change).</summary>
            Changed,
            Deleted,
        }

        private readonly BuildState? _previous;
        private readonly string _outputDirectory;
        private readonly Dictionary<string, FileVerdict> _fileVerdicts = new Dictionary<string, FileVerdict>(StringComparer.Ordinal);
        private readonly Dictionary<string, bool> _probeExists = new Dictionary<string, bool>(StringComparer.Ordinal);
        private readonly RecordedFileStats? _stats;

        /// <param name="stats">The stats of what <paramref name="previous"/> records, taken ahead
        /// (<see cref="RecordedFileStats"/>); null to stat each file when it is checked.</param>
        public StalenessChecker(BuildState? previous, string outputDirectory, RecordedFileStats? stats = null)
        {
            _previous = previous;
            _outputDirectory = outputDirectory;
            _stats = stats;
            _stats?.Wait();
        }

        /// <summary>
        /// Whether a recorded dependency exists, from the stat this check already made when it made one
        /// (a stale kernel's remaining files are not checked), else by asking the file system.
        /// </summary>
        public bool DependencyExists(string path) =>
            _fileVerdicts.TryGetValue(path, out FileVerdict verdict) ? verdict != FileVerdict.Deleted : File.Exists(path);

        /// <summary>True when a recorded stamp was refreshed (a touch-only change): the state should be rewritten.</summary>
        public bool RefreshedStamps { get; private set; }

        /// <summary>Null when the kernel's record is current; otherwise the reason it is not.</summary>
        /// <param name="relativePath">The kernel's identity: its project-relative path.</param>
        /// <param name="fingerprint">Hash of its options and compiler as planned now.</param>
        /// <param name="imageRelativePaths">The images it must have, relative to the output folder.</param>
        public string? Check(string relativePath, string fingerprint, IEnumerable<string> imageRelativePaths, string? stateProblem, bool compilerChanged)
        {
            if (_previous == null)
            {
                return stateProblem ?? "no build state";
            }
            if (compilerChanged)
            {
                return "the compiler changed";
            }
            if (!_previous.Kernels.TryGetValue(relativePath, out KernelRecord? record))
            {
                return "not built before";
            }
            if (record.Fingerprint != fingerprint)
            {
                return "its options changed";
            }
            if (!record.Complete)
            {
                return "an #include could not be resolved statically, so it is always rebuilt";
            }

            foreach (OutputRecord output in record.Outputs)
            {
                string? problem = CheckOutput(output);
                if (problem != null) return problem;
            }
            if (!imageRelativePaths.All(image => record.Outputs.Any(o => o.RelativePath == image))
                || !record.Outputs.Any(o => o.Kind == OutputKind.DependencyFile)
                || !record.Outputs.Any(o => o.Kind == OutputKind.Signatures)) // a state written before the launchers existed
            {
                return "an output is not recorded";
            }

            foreach (string dependency in record.Dependencies)
            {
                FileVerdict verdict = VerdictOf(dependency);
                if (verdict != FileVerdict.Unchanged) return dependency + " " + Describe(verdict);
            }
            foreach (string probe in record.AbsentProbes)
            {
                if (ProbeExists(probe)) return probe + " was created and may shadow the header used before";
            }
            return null;
        }

        /// <summary>Null when the recorded manifest is on disk as written; otherwise why it must be written again.</summary>
        public string? CheckManifest() =>
            _previous?.Manifest == null ? "no manifest recorded" : CheckOutput(_previous.Manifest);

        /// <summary>Null when the recorded signature index is on disk as written; otherwise why it must be written again.</summary>
        public string? CheckSignatureIndex() =>
            _previous?.SignatureIndex == null ? "no signature index recorded" : CheckOutput(_previous.SignatureIndex);

        /// <summary>Null when the recorded kernel bundle is on disk as written; otherwise why it must be written again.</summary>
        public string? CheckBundle() =>
            _previous?.Bundle == null ? "no kernel bundle recorded" : CheckOutput(_previous.Bundle);

        private string? CheckOutput(OutputRecord output)
        {
            string path = Path.Combine(_outputDirectory, output.RelativePath);
            FileStamp now = _stats?.OutputStamp(path) ?? FileStamp.Of(path);
            if (!now.Exists) return "output " + output.RelativePath + " is missing";
            if (now.Equals(output.Stamp)) return null;
            if (ContentHash.OfFile(path) != output.Sha256) return "output " + output.RelativePath + " was modified";
            output.Stamp = now;
            RefreshedStamps = true;
            return null;
        }

        /// <summary>How a recorded file compares with the record. Each distinct file is checked once.</summary>
        private FileVerdict VerdictOf(string path)
        {
            if (_fileVerdicts.TryGetValue(path, out FileVerdict known))
            {
                return known;
            }
            FileVerdict verdict = FileVerdict.Unchanged;
            TrackedFile recorded = _previous!.Files[path];
            // Taken before the hash below reads the file, so that a refreshed stamp describes the hashed bytes.
            FileStamp now = _stats?.DependencyStamp(path) ?? FileStamp.BeforeRead(path);
            if (!now.Exists)
            {
                verdict = FileVerdict.Deleted;
            }
            else if (!now.Equals(recorded.Stamp))
            {
                if (ContentHash.OfFile(path) == recorded.Sha256)
                {
                    recorded.Stamp = now; // touched, not changed: remember the new stamp so we need not hash it again
                    RefreshedStamps = true;
                }
                else
                {
                    verdict = FileVerdict.Changed;
                }
            }
            _fileVerdicts[path] = verdict;
            return verdict;
        }

        /// <summary>The words that follow the file's path in a stale reason.</summary>
        private static string Describe(FileVerdict verdict) => verdict == FileVerdict.Deleted ? "was deleted or renamed" : "changed";

        private bool ProbeExists(string path)
        {
            if (!_probeExists.TryGetValue(path, out bool exists))
            {
                // Not File.Exists: a probe may name a folder an include's ".." passes through, and a dangling
                // link is no header. The scanner owns what "now exists" means for its probes.
                exists = _stats?.ProbeExists(path) ?? IncludeScanner.AbsentProbeNowExists(path);
                _probeExists[path] = exists;
            }
            return exists;
        }
    }
}
