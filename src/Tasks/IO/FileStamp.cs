using System;
using System.IO;
using System.Runtime.InteropServices;

namespace KernelBuild.Tasks.IO
{
    /// <summary>
    /// What we remember of a file to tell, without reading it, that it is unchanged: size, modification time,
    /// and on Linux the inode and its change time. The change time (ctime) cannot be set by programs, so a
    /// file rewritten and then given back its old modification time (a restore from backup, <c>touch -r</c>, clock
    /// skew) still shows as "maybe changed", and its content hash decides. Any difference means "hash it";
    /// only the hash says "changed".
    /// </summary>
    internal readonly struct FileStamp : IEquatable<FileStamp>
    {
        public static readonly FileStamp Missing = new FileStamp(false, 0, 0, 0, 0);
        private static readonly long s_epochTicks = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        private static readonly bool s_isLinux = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

        public FileStamp(bool exists, long size, long modifiedTicks, long changedTicks, long inode)
        {
            Exists = exists;
            Size = size;
            ModifiedTicks = modifiedTicks;
            ChangedTicks = changedTicks;
            Inode = inode;
        }

        public bool Exists { get; }
        public long Size { get; }
        /// <summary>Modification time, UTC ticks (100 ns).</summary>
        public long ModifiedTicks { get; }
        /// <summary>Inode change time, UTC ticks; 0 where the platform does not give it.</summary>
        public long ChangedTicks { get; }
        public long Inode { get; }

        /// <summary>
        /// How long before the moment of a stat a file's times must lie for the stamp to describe its bytes. A write
        /// inside the same time-stamp tick as our stat (a few milliseconds on Linux's coarse clock, one or two seconds
        /// on some file systems) leaves size and times unchanged, so a stamp taken that close to the file's last change
        /// cannot prove a later read saw the same bytes (git calls such entries "racily clean").
        /// </summary>
        private static readonly long s_racyWindowTicks = TimeSpan.FromSeconds(2).Ticks;

        /// <summary>
        /// The stamp to record next to a hash of bytes read right after this call. When the file changed too recently
        /// for its times to tell a later write apart (see <see cref="s_racyWindowTicks"/>), or its times lie in the
        /// future, the result is <see cref="Unverified"/>: the next check hashes the file instead of trusting its times.
        /// </summary>
        public static FileStamp BeforeRead(string path)
        {
            long now = DateTime.UtcNow.Ticks;
            FileStamp stamp = Of(path);
            bool racy = stamp.Exists && (stamp.ModifiedTicks > now - s_racyWindowTicks || stamp.ChangedTicks > now - s_racyWindowTicks);
            return racy ? stamp.Unverified() : stamp;
        }

        /// <summary>
        /// The same file with times no stat ever returns (zero ticks: the year 1), so it never equals a real stamp and
        /// the next check compares content hashes.
        /// </summary>
        public FileStamp Unverified() => new FileStamp(Exists, Size, 0, 0, Inode);

        /// <summary>True for a stamp from <see cref="Unverified"/>.</summary>
        public bool IsUnverified => Exists && ModifiedTicks == 0 && ChangedTicks == 0;

        public static FileStamp Of(string path)
        {
            if (s_isLinux)
            {
                if (Interop.Libc.TryStatx(path, out Interop.Libc.StatxBuffer st, out bool exists))
                {
                    return new FileStamp(true, (long)st.Size, ToTicks(st.ModifySeconds, st.ModifyNanoseconds),
                        ToTicks(st.ChangeSeconds, st.ChangeNanoseconds), (long)st.Inode);
                }
                if (!exists)
                {
                    return Missing;
                }
            }
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(true, info.Length, info.LastWriteTimeUtc.Ticks, 0, 0) : Missing;
        }

        private static long ToTicks(long seconds, uint nanoseconds) =>
            s_epochTicks + seconds * TimeSpan.TicksPerSecond + nanoseconds / 100;

        /// <summary>Equal stamps mean "same bytes as when recorded"; an unverified stamp equals none.</summary>
        public bool Equals(FileStamp other) =>
            !IsUnverified && !other.IsUnverified
            && Exists == other.Exists && Size == other.Size && ModifiedTicks == other.ModifiedTicks
            && ChangedTicks == other.ChangedTicks && Inode == other.Inode;

        public override bool Equals(object? obj) => obj is FileStamp other && Equals(other);
        public override int GetHashCode() => (Size, ModifiedTicks, ChangedTicks, Inode).GetHashCode();
    }
}
