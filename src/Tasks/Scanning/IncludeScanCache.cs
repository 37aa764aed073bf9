using System;
using System.Collections.Concurrent;
using System.IO;
using KernelBuild.Tasks.IO;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>
    /// Parsed files keyed by canonical path, length and last-write time, so that a header shared by many
    /// kernels is read, hashed and parsed once per build. Pass one instance to every
    /// <see cref="IncludeScanner.Scan(IncludeScanRequest, IncludeScanCache)"/> of a build; it is safe to use
    /// from several threads. Only file contents are cached: which paths exist is probed afresh by each
    /// scan. A file rewritten without changing its length or time stamp (possible on file systems with
    /// coarse time stamps) would go unnoticed, so keep an instance for one build, not longer.
    /// </summary>
    public sealed class IncludeScanCache
    {
        private readonly ConcurrentDictionary<string, Entry> _entries =
            new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);

        /// <summary>Number of files whose bytes were read (for tests and diagnostics).</summary>
        public int FilesRead => _filesRead;

        private int _filesRead;

        /// <param name="length">The file's length, and <paramref name="stamp"/> its last-write time in UTC
        /// ticks, as the probe that found it saw them.</param>
        /// <param name="stampBeforeRead">The file's full stamp taken just before its bytes were read: the one to
        /// record next to the hash, since any later write changes it (or it is marked unverified).</param>
        internal ParsedFile Get(string canonicalPath, long length, long stamp, out FileStamp stampBeforeRead)
        {
            if (_entries.TryGetValue(canonicalPath, out Entry? entry) && entry.Length == length && entry.Stamp == stamp)
            {
                stampBeforeRead = entry.StampBeforeRead;
                return entry.File;
            }

            // The stamps are taken before the read: if the file changes in between, the next scan sees a
            // newer stamp and reads it again, so a stale entry can only cause a re-read, never a miss. The
            // state records the full stamp with the hash for the same reason (docs/incremental.md).
            stampBeforeRead = FileStamp.BeforeRead(canonicalPath);
            byte[] bytes = File.ReadAllBytes(canonicalPath);
            System.Threading.Interlocked.Increment(ref _filesRead);
            ParsedFile parsed = DirectiveParser.Parse(bytes);
            _entries[canonicalPath] = new Entry(length, stamp, stampBeforeRead, parsed);
            return parsed;
        }

        private sealed class Entry
        {
            public Entry(long length, long stamp, FileStamp stampBeforeRead, ParsedFile file)
            {
                Length = length;
                Stamp = stamp;
                StampBeforeRead = stampBeforeRead;
                File = file;
            }

            public long Length { get; }
            public long Stamp { get; }
            public FileStamp StampBeforeRead { get; }
            public ParsedFile File { get; }
        }
    }
}
