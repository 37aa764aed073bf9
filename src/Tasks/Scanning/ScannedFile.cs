using KernelBuild.Tasks.IO;

namespace KernelBuild.Tasks.Scanning
{
    /// <summary>A file a kernel's compilation may read, and the hash of the bytes the scanner read from it.</summary>
    public sealed class ScannedFile
    {
        internal ScannedFile(string path, string sha256, FileStamp stampBeforeRead)
        {
            Path = path;
            Sha256 = sha256;
            StampBeforeRead = stampBeforeRead;
        }

        /// <summary>Absolute, normalized the way the OS resolves the path NVRTC opens (no "." or ".."
        /// components; symbolic links kept except where ".." had to go through one).</summary>
        public string Path { get; }

        /// <summary>Lowercase hex SHA-256 of the file's bytes.</summary>
        public string Sha256 { get; }

        /// <summary>
        /// The file's stamp taken before the bytes behind <see cref="Sha256"/> were read, so the pair describes the same
        /// bytes: a write after it, even one racing the compile, changes the stamp, and the next build hashes the file.
        /// </summary>
        internal FileStamp StampBeforeRead { get; }

        public override string ToString() => Path;
    }
}
