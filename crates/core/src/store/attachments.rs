//! The attachment folder, and how its files are kept in an encrypted workspace.
//!
//! Files are named by the SHA-256 of their content, encrypted or not. In an encrypted
//! workspace each file is sealed with XChaCha20-Poly1305 under the attachment key (derived from
//! the database key, so the passphrase and the recovery key open the files as they open the
//! database), in chunks of 64 KiB so a large file is read and written as a stream:
//!
//! ```text
//! "RRSEAL01" | nonce prefix (19 random bytes) | chunk 0 | chunk 1 | … | last chunk
//! chunk i = ciphertext of up to 64 KiB + 16-byte tag, nonce = prefix | i (u32, BE) | last (0/1)
//! ```
//!
//! The file's name (its hash) is the associated data of every chunk: a file moved to another
//! name, a chunk dropped, reordered or cut at the end, fails its tag and reads as altered.
//! A plain file (no magic) in an encrypted workspace is read as it is and its hash checked: it
//! is one that `encryption::encrypt` had not sealed yet, and [`Attachments::seal_plain_files`]
//! seals it.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::ops::Deref;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroize;

use crate::error::{Error, ErrorCode, Result};

const MAGIC: &[u8; 8] = b"RRSEAL01";
const PREFIX: usize = 19;
const HEADER: usize = MAGIC.len() + PREFIX;
const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;

/// The key that seals attachment files. Wiped from memory when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct AttachmentKey([u8; 32]);

impl AttachmentKey {
    pub(crate) fn new(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&self.0.into())
    }
}

impl Drop for AttachmentKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl std::fmt::Debug for AttachmentKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AttachmentKey(…)")
    }
}

/// A workspace's attachment folder and, when the workspace is encrypted, the key of its files.
/// It reads as the folder's path where a path is wanted.
#[derive(Debug, Clone, Default)]
pub struct Attachments {
    dir: PathBuf,
    key: Option<AttachmentKey>,
}

impl Deref for Attachments {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.dir
    }
}

impl AsRef<Path> for Attachments {
    fn as_ref(&self) -> &Path {
        &self.dir
    }
}

fn nonce(prefix: &[u8], index: u32, last: bool) -> XNonce {
    let mut n = [0u8; 24];
    n[..PREFIX].copy_from_slice(prefix);
    n[PREFIX..PREFIX + 4].copy_from_slice(&index.to_be_bytes());
    n[23] = u8::from(last);
    XNonce::from(n)
}

fn altered(hash: &str) -> Error {
    Error::new(
        ErrorCode::EvidenceAltered,
        format!("The evidence file {hash} does not decrypt: it was changed, cut short or moved since it was attached."),
    )
}

impl Attachments {
    /// The folder of a plain workspace.
    pub fn plain(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into(), key: None }
    }

    /// The folder of an encrypted workspace.
    pub fn sealed(dir: impl Into<PathBuf>, key: AttachmentKey) -> Self {
        Self { dir: dir.into(), key: Some(key) }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether new files are sealed (the workspace is encrypted).
    pub fn is_sealed(&self) -> bool {
        self.key.is_some()
    }

    /// The bytes that go on disk for `content`, named `hash`.
    pub(crate) fn seal(&self, hash: &str, content: &[u8]) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(self.disk_size(content.len() as u64) as usize);
        self.seal_stream(hash, &mut io::Cursor::new(content), content.len() as u64, &mut out)?;
        Ok(out)
    }

    /// Writes to `out` what goes on disk for the `len` content bytes `content` reads, named
    /// `hash`: the bytes themselves in a plain workspace, sealed chunk by chunk in an encrypted
    /// one. Reads and writes one chunk at a time, so a file of any size passes through.
    pub(crate) fn seal_stream(&self, hash: &str, content: &mut dyn Read, len: u64, out: &mut dyn Write) -> Result<()> {
        let io_error = |e: io::Error| Error::new(ErrorCode::Io, format!("Cannot copy the file: {e}"));
        let Some(key) = &self.key else {
            io::copy(&mut content.take(len), out).map_err(io_error)?;
            return Ok(());
        };
        let cipher = key.cipher();
        let mut prefix = [0u8; PREFIX];
        getrandom::fill(&mut prefix).map_err(|e| Error::internal(format!("no randomness: {e}")))?;
        out.write_all(MAGIC).and_then(|()| out.write_all(&prefix)).map_err(io_error)?;
        let chunks = len.div_ceil(CHUNK as u64).max(1);
        let mut buf = vec![0u8; CHUNK];
        for i in 0..chunks {
            let want = (len - i * CHUNK as u64).min(CHUNK as u64) as usize;
            content.read_exact(&mut buf[..want]).map_err(io_error)?;
            let index = u32::try_from(i).map_err(|_| Error::internal("an attachment of more than 256 TiB"))?;
            let sealed = cipher
                .encrypt(&nonce(&prefix, index, i == chunks - 1), Payload { msg: &buf[..want], aad: hash.as_bytes() })
                .map_err(|_| Error::internal("sealing an attachment failed"))?;
            out.write_all(&sealed).map_err(io_error)?;
        }
        Ok(())
    }

    /// The most bytes a stored file of `size` content bytes may take on disk.
    pub(crate) fn disk_size(&self, size: u64) -> u64 {
        if self.key.is_none() {
            return size;
        }
        let chunks = size.div_ceil(CHUNK as u64).max(1);
        HEADER as u64 + size + chunks * TAG as u64
    }

    /// The content of a stored file named `hash`, from its bytes on disk (a plain file's bytes
    /// are its content).
    pub(crate) fn open(&self, hash: &str, disk: Vec<u8>) -> Result<Vec<u8>> {
        if !disk.starts_with(MAGIC) {
            return Ok(disk);
        }
        let mut reader = SealedReader::new(io::Cursor::new(&disk[MAGIC.len()..]), disk.len() as u64 - 8, self, hash)?;
        let mut out = Vec::with_capacity(disk.len());
        reader.read_to_end(&mut out).map_err(|_| altered(hash))?;
        Ok(out)
    }

    /// A reader of the content of the stored file `path` named `hash` (decrypting as it goes).
    pub(crate) fn reader(&self, path: &Path, hash: &str) -> io::Result<Box<dyn Read>> {
        let mut file = File::open(path)?;
        let len = file.metadata()?.len();
        let mut magic = [0u8; 8];
        let n = read_up_to(&mut file, &mut magic)?;
        if n == magic.len() && &magic == MAGIC {
            let reader = SealedReader::new(file, len - 8, self, hash)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.message))?;
            return Ok(Box::new(reader));
        }
        Ok(Box::new(io::Cursor::new(magic[..n].to_vec()).chain(file)))
    }

    /// Seals every plain file in the folder (after `encryption::encrypt`, or a run of it that
    /// was stopped). Each file is rewritten atomically; its content and name do not change.
    /// Returns how many were sealed.
    pub fn seal_plain_files(&self) -> Result<u32> {
        if self.key.is_none() {
            return Ok(0);
        }
        let entries = match fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(Error::new(ErrorCode::Io, format!("Cannot read {}: {e}", self.dir.display()))),
        };
        let mut sealed = 0;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if !crate::evidence::is_sha256_hex(&name) || !entry.file_type().is_ok_and(|t| t.is_file()) {
                continue;
            }
            let io_err = |e: io::Error| Error::new(ErrorCode::Io, format!("Cannot seal {}: {e}", path.display()));
            // Most files are sealed already: their first bytes say so.
            let mut magic = [0u8; 8];
            let n = File::open(&path).and_then(|mut f| read_up_to(&mut f, &mut magic)).map_err(io_err)?;
            if n == magic.len() && &magic == MAGIC {
                continue;
            }
            let content = fs::read(&path).map_err(io_err)?;
            if crate::evidence::sha256_hex(&content) != name {
                // Not what its name says (verify reports it): left alone.
                continue;
            }
            let tmp = self.dir.join(format!(".{name}.sealing-{}", std::process::id()));
            let bytes = self.seal(&name, &content)?;
            let written = File::create(&tmp)
                .and_then(|mut f| f.write_all(&bytes).and_then(|()| f.sync_all()))
                .and_then(|()| fs::rename(&tmp, &path));
            if let Err(e) = written {
                let _ = fs::remove_file(&tmp);
                return Err(io_err(e));
            }
            sealed += 1;
        }
        Ok(sealed)
    }
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Decrypts a sealed file chunk by chunk. `len` counts the bytes after the magic; the last
/// chunk is known from it, so a file cut at a chunk boundary fails the last chunk's tag.
struct SealedReader<R: Read> {
    inner: R,
    cipher: XChaCha20Poly1305,
    prefix: [u8; PREFIX],
    aad: Vec<u8>,
    index: u32,
    chunks: u64,
    buf: Vec<u8>,
    pos: usize,
}

impl<R: Read> SealedReader<R> {
    fn new(mut inner: R, len: u64, attachments: &Attachments, hash: &str) -> Result<Self> {
        let Some(key) = &attachments.key else {
            return Err(Error::new(
                ErrorCode::EvidenceAltered,
                format!(
                    "The evidence file {hash} is encrypted, but this workspace is not: it came from another workspace."
                ),
            ));
        };
        let mut prefix = [0u8; PREFIX];
        if len < (PREFIX + TAG) as u64 || read_up_to(&mut inner, &mut prefix).map_err(|_| altered(hash))? != PREFIX {
            return Err(altered(hash));
        }
        let body = len - PREFIX as u64;
        let chunks = body.div_ceil((CHUNK + TAG) as u64).max(1);
        Ok(Self {
            inner,
            cipher: key.cipher(),
            prefix,
            aad: hash.as_bytes().to_vec(),
            index: 0,
            chunks,
            buf: Vec::new(),
            pos: 0,
        })
    }
}

impl<R: Read> Read for SealedReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.buf.len() {
            if u64::from(self.index) >= self.chunks {
                return Ok(0);
            }
            let mut sealed = vec![0u8; CHUNK + TAG];
            let n = read_up_to(&mut self.inner, &mut sealed)?;
            sealed.truncate(n);
            let last = u64::from(self.index) + 1 == self.chunks;
            let plain = self
                .cipher
                .decrypt(&nonce(&self.prefix, self.index, last), Payload { msg: &sealed, aad: &self.aad })
                .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "an attachment chunk fails its tag"))?;
            self.buf = plain;
            self.pos = 0;
            self.index += 1;
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed() -> Attachments {
        Attachments::sealed("/nowhere", AttachmentKey::new([7u8; 32]))
    }

    #[test]
    fn a_file_copied_from_its_path_into_an_encrypted_workspace_is_sealed_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let a = Attachments::sealed(dir.path().join("att"), AttachmentKey::new([7u8; 32]));
        for size in [1usize, CHUNK, 3 * CHUNK + 5] {
            let content: Vec<u8> = (0..size).map(|i| (i * 17 % 253) as u8).collect();
            let source = dir.path().join(format!("f{size}"));
            std::fs::write(&source, &content).unwrap();
            let stored = crate::evidence::store_path(&a, &source, &mut |_, _| true).unwrap();
            let disk = std::fs::read(a.join(&stored.sha256)).unwrap();
            assert!(disk.starts_with(MAGIC), "sealed on disk ({size})");
            assert!(disk.len() as u64 <= a.disk_size(size as u64));
            assert_eq!(a.open(&stored.sha256, disk).unwrap(), content, "{size}");
        }
    }

    #[test]
    fn sealed_content_round_trips_at_every_size_and_refuses_tampering() {
        let a = sealed();
        for size in [0usize, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK] {
            let content: Vec<u8> = (0..size).map(|i| (i * 31 % 251) as u8).collect();
            let hash = crate::evidence::sha256_hex(&content);
            let disk = a.seal(&hash, &content).unwrap();
            assert!(disk.len() as u64 <= a.disk_size(size as u64), "{size}");
            assert_eq!(a.open(&hash, disk.clone()).unwrap(), content, "{size}");
            if size > 16 {
                assert!(!disk.windows(16).any(|w| w == &content[..16]), "no plain run on disk");
            }
            // Cut at the last chunk boundary, a flipped byte, or another name: all refused.
            if size > CHUNK {
                let cut = disk[..HEADER + CHUNK + TAG].to_vec();
                assert!(a.open(&hash, cut).is_err(), "cut {size}");
            }
            let mut flipped = disk.clone();
            *flipped.last_mut().unwrap() ^= 1;
            assert!(a.open(&hash, flipped).is_err());
            assert!(a.open(&"0".repeat(64), disk).is_err(), "bound to its name");
        }
        // Without the key, a sealed file is not read as content.
        let content = b"hello".to_vec();
        let hash = crate::evidence::sha256_hex(&content);
        let disk = a.seal(&hash, &content).unwrap();
        assert!(Attachments::plain("/nowhere").open(&hash, disk).is_err());
    }
}
