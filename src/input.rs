//! Opening the files warroom reads: only regular files, never more than a
//! size it can hold, and never waiting on a lock without end. A FIFO would
//! hang the reader, `/dev/zero` would fill the memory, and a lock held by a
//! stuck process would freeze a seat: each is refused with words that say
//! what was found and what to do.

use std::fs::{File, Metadata, OpenOptions};
use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

/// How long a reader or writer waits for another process's lock.
pub const LOCK_WAIT: Duration = Duration::from_secs(3);

/// What a path is, when it is not a regular file.
fn kind(meta: &Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

fn refuse(meta: &Metadata) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{}; expected a regular file", kind(meta)),
    )
}

/// Refuses a path that exists and is not a regular file, before opening it
/// (opening a FIFO blocks until a writer comes).
fn regular_or_missing(path: &Path) -> io::Result<()> {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => Err(refuse(&meta)),
        _ => Ok(()),
    }
}

/// Opens a regular file to read, refusing one larger than `max` bytes.
/// Opened without blocking: a FIFO swapped in after the look at the path
/// cannot hang the open, and is refused by what the open file is.
pub fn open_to_read(path: &Path, max: u64) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    regular_or_missing(path)?;
    // Regular files ignore O_NONBLOCK: reads of them block as usual.
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(refuse(&meta));
    }
    if meta.len() > max {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{} MB; expected at most {} MB",
                meta.len() / 1_000_000,
                max / 1_000_000
            ),
        ));
    }
    Ok(file)
}

/// Opens (creating it if missing) a regular file to append to.
pub fn open_to_append(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    regular_or_missing(path)?;
    let file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(refuse(&meta));
    }
    Ok(file)
}

/// Reads the rest of `file` into `out`, refusing more than `max` bytes: a
/// file that grows while read, or one that says it is empty and is not
/// (procfs), cannot fill the memory.
pub fn read_capped(file: &mut File, max: u64, out: &mut Vec<u8>) -> io::Result<()> {
    use std::io::Read;
    file.take(max.saturating_add(1)).read_to_end(out)?;
    if out.len() as u64 > max {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("over {} MB; expected at most that", max / 1_000_000),
        ));
    }
    Ok(())
}

/// Takes the file's lock, shared or exclusive, waiting at most `LOCK_WAIT`.
pub fn lock(file: &File, exclusive: bool, path: &Path) -> io::Result<()> {
    let deadline = Instant::now() + LOCK_WAIT;
    loop {
        let tried = if exclusive {
            file.try_lock()
        } else {
            file.try_lock_shared()
        };
        match tried {
            Ok(()) => return Ok(()),
            Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(io::Error::new(
                    io::ErrorKind::WouldBlock,
                    format!(
                        "locked by another process for over {} s (a stuck warroom? `fuser {}` names it)",
                        LOCK_WAIT.as_secs(),
                        path.display()
                    ),
                ));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_of_a_bounded_size() {
        let dir = tempfile::tempdir().unwrap();
        let err = open_to_read(dir.path(), 10).unwrap_err();
        assert_eq!(err.to_string(), "a directory; expected a regular file");
        let err = open_to_read(Path::new("/dev/zero"), 10).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a character device; expected a regular file"
        );
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 3_000_000]).unwrap();
        let err = open_to_read(&big, 1_000_000).unwrap_err();
        assert_eq!(err.to_string(), "3 MB; expected at most 1 MB");
        let err = open_to_append(Path::new("/dev/null")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a character device; expected a regular file"
        );
    }

    #[test]
    fn a_held_lock_is_waited_for_a_while_then_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        let holder = open_to_append(&path).unwrap();
        holder.lock().unwrap();
        let other = open_to_read(&path, 10).unwrap();
        let started = Instant::now();
        let err = lock(&other, false, &path).unwrap_err();
        assert!(started.elapsed() >= LOCK_WAIT);
        assert!(
            err.to_string()
                .starts_with("locked by another process for over 3 s")
        );
        holder.unlock().unwrap();
        lock(&other, false, &path).unwrap();
    }
}
