using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using KernelBuild.Tasks.Compiler;
using KernelBuild.Tasks.Diagnostics;
using KernelBuild.Tasks.IO;
using KernelBuild.Tasks.Output;
using KernelBuild.Tasks.Planning;
using KernelBuild.Tasks.Scanning;

namespace KernelBuild.Tasks.RemoteCache
{
    /// <summary>
    /// Restores stale kernels from a shared Bazel HTTP cache and uploads the ones compiled here (docs/remote-cache.md).
    /// An entry has two levels. <c>/ac/K1</c>, K1 a hash of the source's content and everything but headers that
    /// decides the output (options with paths made portable, architectures, compiler), names the list of files the
    /// compile read and of the include candidates that did not exist. That list is checked in this checkout: the
    /// files' current hashes, and that every absent candidate is still absent (a new header that would shadow
    /// another is a miss). <c>/ac/K2</c>, K2 a hash of K1 and those paths and hashes, names the images and the record.
    /// Every blob is checked against its SHA-256; whatever is missing, corrupt or unreadable is a miss, never an error.
    /// </summary>
    internal sealed class RemoteKernelCache : IDisposable
    {
        private const string InputsFile = "kernelbuild/inputs";
        private const string RecordFile = "kernelbuild/record";
        private const string ImagePrefix = "image/";
        private const string SignaturesFile = "kernelbuild/signatures";

        private readonly RemoteCacheClient _client;
        private readonly RemoteCacheSettings _settings;
        private readonly string _projectDirectory;
        private readonly string _compilerKey;
        /// <summary>Each file's stamp and hash, once per build: hundreds of kernels share their headers.</summary>
        private readonly ConcurrentDictionary<string, Lazy<LocalFile?>> _files = new ConcurrentDictionary<string, Lazy<LocalFile?>>(StringComparer.Ordinal);
        private int _hits;
        private int _misses;
        private int _uploads;
        /// <summary>Time spent looking up, restoring and uploading: what the cache costs or saves, for the summary.</summary>
        private readonly System.Diagnostics.Stopwatch _elapsed = new System.Diagnostics.Stopwatch();

        public RemoteKernelCache(RemoteCacheSettings settings, string projectDirectory, string compilerKey)
        {
            _settings = settings;
            _client = new RemoteCacheClient(settings);
            _projectDirectory = projectDirectory;
            _compilerKey = compilerKey;
        }

        /// <summary>The first failure, for the build's one warning; null when the server behaved.</summary>
        public string? Failure => _client.Failure;

        /// <summary>The build's one line at normal verbosity.</summary>
        public string Summary =>
            "Remote cache " + _settings.DisplayUrl + ": " + _hits + " hit(s), " + _misses + " miss(es), " + _uploads + " upload(s)"
            + (_settings.ReadOnly ? " (read-only)" : "") + "; " + Bytes(_client.BytesDownloaded) + " down, " + Bytes(_client.BytesUploaded) + " up, in "
            + _elapsed.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s.";

        /// <summary>
        /// Looks every kernel up at once. A result for each hit (as a compile would have given it: images, entry
        /// points, warnings, dependencies with the stamps and hashes seen here), null for each miss; a line per kernel
        /// for the log at detailed verbosity goes to <paramref name="details"/>.
        /// </summary>
        public KernelCompileResult?[] Restore(IReadOnlyList<KernelPlan> kernels, string[] details)
        {
            _elapsed.Start();
            var lookups = kernels.Select((kernel, i) => Task.Run(() => RestoreOrMissAsync(kernel.Settings))).ToArray();
            Task.WaitAll(lookups);
            _elapsed.Stop();
            var results = new KernelCompileResult?[kernels.Count];
            for (int i = 0; i < kernels.Count; i++)
            {
                (results[i], string reason) = lookups[i].Result;
                details[i] = results[i] != null
                    ? "Restored CUDA kernel " + kernels[i].Settings.RelativePath + " from the remote cache."
                    : "Remote cache miss for " + kernels[i].Settings.RelativePath + ": " + reason + ".";
                if (results[i] != null) _hits++; else _misses++;
            }
            return results;
        }

        /// <summary>Uploads the kernels compiled here (null entries are skipped); a line per kernel goes to <paramref name="details"/>.</summary>
        public void Upload(IReadOnlyList<KernelPlan> kernels, IReadOnlyList<KernelCompileResult?> compiled, string?[] details)
        {
            if (_settings.ReadOnly) return;
            _elapsed.Start();
            var uploads = new Task<string?>[kernels.Count];
            for (int i = 0; i < kernels.Count; i++)
            {
                KernelCompileResult? result = compiled[i];
                uploads[i] = result == null ? Task.FromResult<string?>(null) : Task.Run(() => UploadOrSkipAsync(result));
            }
            Task.WaitAll(uploads);
            _elapsed.Stop();
            for (int i = 0; i < kernels.Count; i++)
            {
                if (compiled[i] == null) continue;
                string? skipped = uploads[i].Result;
                if (skipped == null && !_client.Unavailable) _uploads++;
                details[i] = skipped == null
                    ? (_client.Unavailable ? null : "Uploaded CUDA kernel " + kernels[i].Settings.RelativePath + " to the remote cache.")
                    : "Not uploading CUDA kernel " + kernels[i].Settings.RelativePath + " to the remote cache: " + skipped + ".";
            }
        }

        /// <summary>
        /// A restore that cannot fail the build: whatever escapes (a file that vanished while being read, a bug here)
        /// becomes a miss and the build's warning, never an exception through Task.WaitAll and MSB4018.
        /// </summary>
        private async Task<(KernelCompileResult?, string)> RestoreOrMissAsync(KernelCompileSettings settings)
        {
            try
            {
                return await RestoreAsync(settings).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _client.RecordFailure("restoring " + settings.RelativePath + " failed (" + e.GetType().Name + ": " + e.Message + ")", stopUsing: false);
                return (null, "restoring it failed");
            }
        }

        private async Task<string?> UploadOrSkipAsync(KernelCompileResult result)
        {
            try
            {
                return await UploadAsync(result).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _client.RecordFailure("uploading " + result.Settings.RelativePath + " failed (" + e.GetType().Name + ": " + e.Message + ")", stopUsing: false);
                return "uploading it failed";
            }
        }

        private async Task<(KernelCompileResult?, string)> RestoreAsync(KernelCompileSettings settings)
        {
            PortablePaths paths = PathsOf(settings);
            LocalFile? source = Snapshot(settings.SourcePath);
            if (source == null) return (null, "its source could not be read");
            string inputsKey = InputsKey(settings, paths, source.Sha256);

            List<CachedOutputFile>? inputsEntry = await GetActionResultAsync(inputsKey).ConfigureAwait(false);
            if (inputsEntry == null) return (null, _client.Unavailable ? "the cache is unavailable" : "no entry for this source, options and compiler");
            byte[]? inputsBlob = await GetFileAsync(inputsEntry, InputsFile).ConfigureAwait(false);
            KernelInputs? inputs = inputsBlob == null ? null : KernelInputs.TryParse(inputsBlob);
            if (inputs == null) return (null, Garbled("the list of its inputs", inputsBlob));

            (List<ScannedFile>? files, List<string>? absent, string reason) = ResolveHere(inputs, paths);
            if (files == null || absent == null) return (null, reason);

            string outputsKey = OutputsKey(inputsKey, files.Select(f => new PortableInput(paths.ToPortable(f.Path), f.Sha256)), inputs.AbsentProbes);
            List<CachedOutputFile>? outputsEntry = await GetActionResultAsync(outputsKey).ConfigureAwait(false);
            if (outputsEntry == null) return (null, _client.Unavailable ? "the cache is unavailable" : reason);
            return await ResultFromAsync(settings, paths, outputsEntry, files, absent).ConfigureAwait(false);
        }

        /// <summary>
        /// The recorded inputs as files of this checkout, with their stamps and hashes now; null and why when one is
        /// missing, or when an include candidate that was absent exists here (it could shadow a recorded header).
        /// The reason for a later miss names the first file whose content differs from the recorded one.
        /// </summary>
        private (List<ScannedFile>?, List<string>?, string) ResolveHere(KernelInputs inputs, PortablePaths paths)
        {
            var files = new List<ScannedFile>();
            string reason = "no stored build with these header contents";
            foreach (PortableInput input in inputs.Files)
            {
                string? path = paths.ToLocal(input.Path);
                if (path == null) return (null, null, Garbled("the list of its inputs", null));
                LocalFile? file = Snapshot(path);
                if (file == null) return (null, null, input.Path + " is not here");
                if (file.Sha256 != input.Sha256 && files.Count > 0 && reason.StartsWith("no stored", StringComparison.Ordinal))
                {
                    reason = input.Path + " differs from the stored build's";
                }
                files.Add(new ScannedFile(path, file.Sha256, file.Stamp));
            }
            var absent = new List<string>();
            foreach (string probe in inputs.AbsentProbes)
            {
                string? path = paths.ToLocal(probe);
                if (path == null) return (null, null, Garbled("the list of its inputs", null));
                if (IncludeScanner.AbsentProbeNowExists(path)) return (null, null, probe + " exists here and may shadow a header the stored build read");
                absent.Add(path);
            }
            return (files, absent, reason);
        }

        private async Task<(KernelCompileResult?, string)> ResultFromAsync(KernelCompileSettings settings, PortablePaths paths,
            List<CachedOutputFile> entry, List<ScannedFile> files, List<string> absent)
        {
            byte[]? recordBlob = await GetFileAsync(entry, RecordFile).ConfigureAwait(false);
            KernelRecordText? record = recordBlob == null ? null : KernelRecordText.TryParse(recordBlob);
            if (record == null) return (null, Garbled("its record", recordBlob));

            var result = new KernelCompileResult(settings) { Succeeded = true, EntryPoints = record.EntryPoints };
            var images = settings.Architectures.Select(a => (a, GetFileAsync(entry, ImagePrefix + a.Name))).ToList();
            foreach ((TargetArchitecture architecture, Task<byte[]?> image) in images)
            {
                byte[]? bytes = await image.ConfigureAwait(false);
                if (bytes == null) return (null, "its " + architecture.Name + " image is missing or corrupt");
                result.Images[architecture] = bytes;
            }
            if (settings.ReadSignatures)
            {
                // The typed launchers' input (docs/launchers.md): a hit must write the same signatures file a compile would.
                byte[]? signatures = await GetFileAsync(entry, SignaturesFile).ConfigureAwait(false);
                string? entryLines = signatures == null ? null : Encoding.UTF8.GetString(signatures);
                List<EntrySignature>? problems = entryLines == null ? null : KernelSignatureFile.ReadProblems(entryLines);
                if (problems == null) return (null, Garbled("its signatures", signatures));
                result.SignatureEntries = entryLines;
                result.Signatures = problems;
            }
            foreach (string[] d in record.Diagnostics)
            {
                if (!Enum.TryParse(d[0], out DiagnosticSeverity severity) || severity == DiagnosticSeverity.Error
                    || !int.TryParse(d[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out int line) || !int.TryParse(d[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out int column))
                {
                    return (null, Garbled("its record", null));
                }
                result.Diagnostics.Add(new NvrtcDiagnostic(d[2].Length == 0 ? null : paths.ToLocal(d[2]) ?? d[2], line, column, severity, d[1], d[5]));
            }
            result.Dependencies = new IncludeScanResult(files, absent, Array.Empty<ScanDiagnostic>(), complete: true);
            return (result, "");
        }

        /// <summary>Null when uploaded; else why not (a kernel whose outputs would not be right in another checkout).</summary>
        private async Task<string?> UploadAsync(KernelCompileResult result)
        {
            IncludeScanResult? dependencies = result.Dependencies;
            if (!result.Succeeded || dependencies == null) return "it did not compile";
            if (!dependencies.Complete) return "an #include could not be resolved statically (KB3001), so its inputs are not known";
            PortablePaths paths = PathsOf(result.Settings);
            var inputs = new KernelInputs();
            inputs.Files.AddRange(dependencies.Files.Select(f => new PortableInput(paths.ToPortable(f.Path), f.Sha256)));
            inputs.AbsentProbes.AddRange(dependencies.AbsentProbes.Select(paths.ToPortable));
            if (inputs.Files.Any(f => HasLineBreakOrTab(f.Path)) || inputs.AbsentProbes.Any(HasLineBreakOrTab)) return "a path it read holds a tab or line break";
            string? leaked = paths.AbsoluteRoots.FirstOrDefault(root => result.Images.Values.Any(image => Contains(image, Encoding.UTF8.GetBytes(root))));
            if (leaked != null) return "its image holds the path " + leaked + " (line information, __FILE__), so it differs between checkouts";

            var record = new KernelRecordText();
            record.EntryPoints.AddRange(result.EntryPoints);
            foreach (NvrtcDiagnostic d in result.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Error))
            {
                record.Diagnostics.Add(new[] { d.Severity.ToString(), d.Code, d.File == null ? "" : paths.ToPortable(d.File), d.Line.ToString(CultureInfo.InvariantCulture), d.Column.ToString(CultureInfo.InvariantCulture), d.Message });
            }

            string inputsKey = InputsKey(result.Settings, paths, dependencies.Files[0].Sha256);
            var outputs = new List<(string Name, byte[] Bytes)> { (RecordFile, record.Serialize()) };
            outputs.AddRange(result.Settings.Architectures.Select(a => (ImagePrefix + a.Name, result.Images[a])));
            if (result.Settings.ReadSignatures) outputs.Add((SignaturesFile, Encoding.UTF8.GetBytes(result.SignatureEntryLines)));
            // Blobs before the entries that name them: a reader, and a server that validates entries, never finds one missing.
            await PutEntryAsync(OutputsKey(inputsKey, inputs.Files, inputs.AbsentProbes), outputs).ConfigureAwait(false);
            await PutEntryAsync(inputsKey, new List<(string, byte[])> { (InputsFile, inputs.Serialize()) }).ConfigureAwait(false);
            return null;
        }

        private async Task PutEntryAsync(string key, List<(string Name, byte[] Bytes)> files)
        {
            await Task.WhenAll(files.Select(f => _client.PutBlobAsync(f.Bytes))).ConfigureAwait(false);
            byte[] entry = ActionResultMessage.Encode(files.Select(f => new CachedOutputFile(f.Name, ContentHash.Of(f.Bytes), f.Bytes.LongLength)));
            await _client.PutActionResultAsync(key, entry).ConfigureAwait(false);
        }

        private async Task<List<CachedOutputFile>?> GetActionResultAsync(string key)
        {
            byte[]? bytes = await _client.GetActionResultAsync(key).ConfigureAwait(false);
            if (bytes == null) return null;
            List<CachedOutputFile>? files = ActionResultMessage.TryDecode(bytes);
            if (files == null) _client.RecordFailure("ac/" + key + " is not an ActionResult", stopUsing: false);
            return files;
        }

        private Task<byte[]?> GetFileAsync(List<CachedOutputFile> entry, string name)
        {
            CachedOutputFile? file = entry.FirstOrDefault(f => f.Path == name);
            return file == null ? Task.FromResult<byte[]?>(null) : _client.GetBlobAsync(file.Sha256, file.Size);
        }

        /// <summary>Why a miss, when a blob was fetched but is not what KernelBuild writes (noted as the build's failure).</summary>
        private string Garbled(string what, byte[]? fetched)
        {
            if (fetched != null) _client.RecordFailure("the remote cache holds something unreadable as " + what, stopUsing: false);
            return what + " is missing or unreadable in the cache";
        }

        /// <summary>The first-level key: everything that decides the outputs, except the headers' contents.</summary>
        private string InputsKey(KernelCompileSettings settings, PortablePaths paths, string sourceSha256)
        {
            var text = new StringBuilder("KernelBuild remote-cache key 2\n");
            text.Append("compiler ").Append(_compilerKey).Append('\n');
            text.Append("kernel ").Append(settings.RelativePath).Append('\n');
            text.Append("source ").Append(sourceSha256).Append('\n');
            // With launchers on, an entry also holds the signatures (an entry written without them cannot serve).
            if (settings.ReadSignatures) text.Append("signatures\n");
            foreach (string instantiation in settings.Instantiations) text.Append("instantiate ").Append(instantiation).Append('\n');
            foreach (TargetArchitecture architecture in settings.Architectures)
            {
                text.Append("architecture ").Append(architecture.Name);
                foreach (string option in NvrtcOptionsBuilder.Build(settings, architecture)) text.Append('\t').Append(paths.ToPortableOption(option));
                text.Append('\n');
            }
            return ContentHash.Of(Encoding.UTF8.GetBytes(text.ToString()));
        }

        /// <summary>The second-level key: the first, and every input's portable path and content, and the absent candidates.</summary>
        private static string OutputsKey(string inputsKey, IEnumerable<PortableInput> files, IEnumerable<string> absentProbes)
        {
            var inputs = new KernelInputs();
            inputs.Files.AddRange(files);
            inputs.AbsentProbes.AddRange(absentProbes);
            byte[] list = inputs.Serialize();
            byte[] prefix = Encoding.ASCII.GetBytes(inputsKey + "\n");
            return ContentHash.Of(prefix.Concat(list).ToArray());
        }

        private PortablePaths PathsOf(KernelCompileSettings settings) => new PortablePaths(_projectDirectory, settings.Options.SearchDirectories);

        private LocalFile? Snapshot(string path) =>
            _files.GetOrAdd(path, p => new Lazy<LocalFile?>(() => LocalFile.Read(p))).Value;

        private static bool HasLineBreakOrTab(string path) => path.IndexOfAny(new[] { '\n', '\r', '\t' }) >= 0;

        private static bool Contains(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j]) j++;
                if (j == needle.Length) return true;
            }
            return false;
        }

        private static string Bytes(long count) =>
            count >= 1 << 20 ? (count / 1048576.0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + " MB"
            : count >= 1 << 10 ? (count / 1024.0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + " KB"
            : count + " B";

        public void Dispose() => _client.Dispose();

        /// <summary>A file as this build saw it: the stamp taken before reading, and the hash of what was read.</summary>
        private sealed class LocalFile
        {
            private LocalFile(FileStamp stamp, string sha256)
            {
                Stamp = stamp;
                Sha256 = sha256;
            }

            public FileStamp Stamp { get; }
            public string Sha256 { get; }

            public static LocalFile? Read(string path)
            {
                FileStamp stamp = FileStamp.BeforeRead(path);
                string? hash = stamp.Exists ? ContentHash.OfFile(path) : null;
                return hash == null ? null : new LocalFile(stamp, hash);
            }
        }
    }
}
