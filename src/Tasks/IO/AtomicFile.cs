using System;
using System.IO;
using System.Linq;

namespace KernelBuild.Tasks.IO
{
    /// <summary>
    /// Writes files so that a reader sees either the old or the new bytes, never half of them, and leaves a file
    /// whose bytes would not change untouched (its timestamp too), so that nothing downstream reruns.
    /// Every failure is an <see cref="IOException"/> whose message names the path and what stands in the way,
    /// ready to be the text of a build error.
    /// </summary>
    internal static class AtomicFile
    {
        /// <summary>Returns true when the file was (re)written, false when it already held these bytes.</summary>
        public static bool WriteIfChanged(string path, byte[] content, bool flushToDisk = true)
        {
            if (HasContent(path, content))
            {
                return false;
            }
            Write(path, content, flushToDisk);
            return true;
        }

        /// <summary>
        /// Writes to a temporary file beside the target, then renames it over the target. With
        /// <paramref name="flushToDisk"/> the bytes reach the disk before the rename, so that after a power cut the
        /// file is the old or the new one; without, it may also be empty or damaged, which only a file that is read
        /// with a checksum and may be lost (the up-to-date record) can afford.
        /// </summary>
        public static void Write(string path, byte[] content, bool flushToDisk = true)
        {
            ThrowIfFolder(path, "written");
            string? directory = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(directory))
            {
                ThrowIfFileBlocks(directory!, path);
            }
            string temporary = path + TemporarySuffix + Guid.NewGuid().ToString("N").Substring(0, 8);
            try
            {
                if (!string.IsNullOrEmpty(directory))
                {
                    Directory.CreateDirectory(directory);
                }
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, flushToDisk ? FileOptions.WriteThrough : FileOptions.None))
                {
                    stream.Write(content, 0, content.Length);
                }
                if (File.Exists(path))
                {
                    File.Replace(temporary, path, destinationBackupFileName: null);
                }
                else
                {
                    File.Move(temporary, path);
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // .NET's own text names the temporary file, or says "already exists" for a folder in the way.
                throw new IOException("Could not write '" + path + "': " + e.Message, e);
            }
            finally
            {
                DeleteTemporary(temporary);
            }
        }

        /// <summary>What the temporary file of a write is named: the target's name, this, and 8 hex digits.</summary>
        private const string TemporarySuffix = ".tmp-";

        /// <summary>
        /// Deletes what writes into <paramref name="directory"/> left behind when their process was killed between
        /// creating the temporary file and renaming it. Call it only when this process is about to rewrite that
        /// folder; a temporary file of a build running at the same moment would go too (its rename then fails with a
        /// clear KB4001, and overlapping builds of one project are already a collision).
        /// </summary>
        public static int DeleteAbandonedTemporaryFiles(string directory)
        {
            if (!Directory.Exists(directory)) return 0;
            int deleted = 0;
            foreach (string file in Directory.EnumerateFiles(directory, "*" + TemporarySuffix + "*", SearchOption.AllDirectories))
            {
                string name = Path.GetFileName(file);
                int at = name.LastIndexOf(TemporarySuffix, StringComparison.Ordinal);
                if (at < 0 || name.Length - at - TemporarySuffix.Length != 8) continue;
                try
                {
                    File.Delete(file);
                    deleted++;
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    // Left for the next build; it is never taken for an output.
                }
            }
            return deleted;
        }

        /// <summary>Deletes a file if present; a missing file is not an error, a folder in its place is.</summary>
        public static void DeleteIfExists(string path)
        {
            // A folder where a file is expected would survive the delete and pass for the file: a stamp, say, whose
            // time then tells MSBuild that the kernels are up to date.
            ThrowIfFolder(path, "deleted");
            if (!File.Exists(path))
            {
                return;
            }
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new IOException("Could not delete '" + path + "': " + e.Message, e);
            }
        }

        private static void ThrowIfFolder(string path, string what)
        {
            if (Directory.Exists(path))
            {
                throw new IOException("'" + path + "' is a folder, but it is a file that must be " + what + " there. Delete or rename the folder.");
            }
        }

        /// <summary>Throws when a file stands where <paramref name="directory"/> or a folder above it must be.</summary>
        private static void ThrowIfFileBlocks(string directory, string path)
        {
            for (string? folder = directory; !string.IsNullOrEmpty(folder); folder = Path.GetDirectoryName(folder))
            {
                if (Directory.Exists(folder))
                {
                    return;
                }
                if (File.Exists(folder))
                {
                    throw new IOException("'" + folder + "' is a file, but it must be a folder to hold '" + path + "'. Delete or rename that file.");
                }
            }
        }

        private static void DeleteTemporary(string temporary)
        {
            try
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // A leftover temporary file is harmless; the error that matters is already on its way.
            }
        }

        private static bool HasContent(string path, byte[] content)
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length != content.Length)
            {
                return false;
            }
            return File.ReadAllBytes(path).SequenceEqual(content);
        }
    }
}
