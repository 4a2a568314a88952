//! A file sealed under a passphrase of its own: how an archive leaves the workspace encrypted.
//!
//! The key comes from the passphrase through Argon2id (the settings of the workspace's key
//! file); the content is sealed with XChaCha20-Poly1305 in chunks of 64 KiB, as attachment
//! files are, so it is written as a stream and read back with seeks (a zip reader jumps to its
//! central directory first):
//!
//! ```text
//! "RRARCH01" | salt (16) | memory KiB, passes, lanes (u32 BE each) | nonce prefix (19)
//! chunk i = ciphertext of up to 64 KiB + 16-byte tag, nonce = prefix | i (u32 BE) | last (0/1)
//! ```
//!
//! The header is the associated data of every chunk: a changed setting, a dropped, reordered
//! or cut chunk fails its tag. A wrong passphrase fails the first chunk's tag, before anything
//! else is read.

use std::io::{self, Read, Seek, SeekFrom, Write};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::error::{Error, ErrorCode, Result};
use crate::store::keys;

const MAGIC: &[u8; 8] = b"RRARCH01";
const SALT: usize = 16;
const PREFIX: usize = 19;
const HEADER: usize = MAGIC.len() + SALT + 12 + PREFIX;
const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;

/// Whether the file starting with `head` is sealed under a passphrase.
pub fn is_sealed(head: &[u8]) -> bool {
    head.starts_with(MAGIC)
}

/// Whether the file at `path` is sealed under a passphrase.
pub fn is_sealed_file(path: &std::path::Path) -> Result<bool> {
    let mut head = [0u8; MAGIC.len()];
    let n = std::fs::File::open(path).and_then(|mut f| read_up_to(&mut f, &mut head)).map_err(|e| {
        Error::new(ErrorCode::Io, format!("Cannot read {}: {}", path.display(), crate::outputs::why(&e)))
    })?;
    Ok(n == head.len() && is_sealed(&head))
}

fn nonce(prefix: &[u8], index: u64, last: bool) -> io::Result<XNonce> {
    let index = u32::try_from(index).map_err(|_| io::Error::other("a file of more than 256 TiB"))?;
    let mut n = [0u8; 24];
    n[..PREFIX].copy_from_slice(prefix);
    n[PREFIX..PREFIX + 4].copy_from_slice(&index.to_be_bytes());
    n[23] = u8::from(last);
    Ok(XNonce::from(n))
}

fn cipher(passphrase: &str, salt: &[u8], (memory, passes, lanes): (u32, u32, u32)) -> Result<XChaCha20Poly1305> {
    let key = keys::derive_key(passphrase, salt, memory, passes, lanes)?;
    XChaCha20Poly1305::new_from_slice(key.as_ref())
        .map_err(|_| Error::internal("a 32-byte key fits XChaCha20-Poly1305"))
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Seals what is written to it. [`SealingWriter::finish`] writes the last chunk; a writer
/// dropped without it leaves a file that reads as cut short.
pub struct SealingWriter<W: Write> {
    inner: W,
    cipher: XChaCha20Poly1305,
    header: Vec<u8>,
    index: u64,
    buf: Vec<u8>,
}

impl<W: Write> SealingWriter<W> {
    /// Writes the header to `inner` with a fresh salt and nonce prefix. The passphrase must
    /// pass [`keys::check_new_passphrase`].
    pub fn new(mut inner: W, passphrase: &str) -> Result<Self> {
        keys::check_new_passphrase(passphrase)?;
        let salt = keys::random::<SALT>()?;
        let prefix = keys::random::<PREFIX>()?;
        let settings = keys::ARGON2_SETTINGS;
        let mut header = Vec::with_capacity(HEADER);
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&salt);
        for v in [settings.0, settings.1, settings.2] {
            header.extend_from_slice(&v.to_be_bytes());
        }
        header.extend_from_slice(&prefix);
        let cipher = cipher(passphrase, &salt, settings)?;
        inner.write_all(&header).map_err(|e| Error::new(ErrorCode::Io, crate::outputs::why(&e)))?;
        Ok(Self { inner, cipher, header, index: 0, buf: Vec::with_capacity(CHUNK) })
    }

    fn seal(&mut self, last: bool) -> io::Result<()> {
        let nonce = nonce(&self.header[HEADER - PREFIX..], self.index, last)?;
        let sealed = self
            .cipher
            .encrypt(&nonce, Payload { msg: &self.buf, aad: &self.header })
            .map_err(|_| io::Error::other("sealing failed"))?;
        self.inner.write_all(&sealed)?;
        self.buf.clear();
        self.index += 1;
        Ok(())
    }

    /// Writes the last chunk and returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.seal(true)?;
        self.inner.flush()?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for SealingWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        // A full chunk is sealed only once more follows: the last one is marked as such.
        if self.buf.len() == CHUNK && !data.is_empty() {
            self.seal(false)?;
        }
        let n = data.len().min(CHUNK - self.buf.len());
        self.buf.extend_from_slice(&data[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Reads a sealed file, with seeks; every chunk is checked as it is read.
pub struct OpeningReader<R: Read + Seek> {
    inner: R,
    cipher: XChaCha20Poly1305,
    header: Vec<u8>,
    chunks: u64,
    len: u64,
    pos: u64,
    /// The chunk in `buf`.
    loaded: Option<u64>,
    buf: Vec<u8>,
}

impl<R: Read + Seek> OpeningReader<R> {
    /// Opens a sealed file with `passphrase`. `WrongKey` when it does not open it (checked on
    /// the first chunk); `ArchiveInvalid` when the file is not whole.
    pub fn new(mut inner: R, passphrase: &str) -> Result<Self> {
        let damaged = || Error::new(ErrorCode::ArchiveInvalid, "The encrypted file is damaged or cut short.");
        let total = inner.seek(SeekFrom::End(0)).map_err(|_| damaged())?;
        inner.seek(SeekFrom::Start(0)).map_err(|_| damaged())?;
        let mut header = vec![0u8; HEADER];
        if read_up_to(&mut inner, &mut header).map_err(|_| damaged())? != HEADER || !is_sealed(&header) {
            return Err(damaged());
        }
        let word = |at: usize| u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]]);
        let at = MAGIC.len() + SALT;
        let settings = (word(at), word(at + 4), word(at + 8));
        // Costs far above ours would let a planted file stall the app.
        if settings.0 > 1024 * 1024 || settings.1 > 64 || settings.2 > 16 {
            return Err(damaged());
        }
        let cipher = cipher(passphrase, &header[MAGIC.len()..MAGIC.len() + SALT], settings)?;
        let body = total - HEADER as u64;
        let sealed_chunk = (CHUNK + TAG) as u64;
        let chunks = body.div_ceil(sealed_chunk).max(1);
        let last_len = body - (chunks - 1) * sealed_chunk;
        if last_len < TAG as u64 {
            return Err(damaged());
        }
        let len = (chunks - 1) * CHUNK as u64 + last_len - TAG as u64;
        let mut reader = Self { inner, cipher, header, chunks, len, pos: 0, loaded: None, buf: Vec::new() };
        match reader.load(0) {
            Ok(()) => Ok(reader),
            // The first chunk is what the passphrase opens; a damaged one reads the same.
            Err(_) => Err(Error::new(
                ErrorCode::WrongKey,
                "That passphrase does not open this archive (or the file is damaged). Nothing was changed.",
            )),
        }
    }

    /// The content's length in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn load(&mut self, chunk: u64) -> io::Result<()> {
        if self.loaded == Some(chunk) {
            return Ok(());
        }
        let sealed_chunk = (CHUNK + TAG) as u64;
        self.inner.seek(SeekFrom::Start(HEADER as u64 + chunk * sealed_chunk))?;
        let mut sealed = vec![0u8; CHUNK + TAG];
        let n = read_up_to(&mut self.inner, &mut sealed)?;
        sealed.truncate(n);
        let last = chunk + 1 == self.chunks;
        let nonce = nonce(&self.header[HEADER - PREFIX..], chunk, last)?;
        self.buf = self
            .cipher
            .decrypt(&nonce, Payload { msg: &sealed, aad: &self.header })
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "a chunk of the encrypted file fails its tag"))?;
        self.loaded = Some(chunk);
        Ok(())
    }
}

impl<R: Read + Seek> Read for OpeningReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.len || out.is_empty() {
            return Ok(0);
        }
        let chunk = self.pos / CHUNK as u64;
        self.load(chunk)?;
        let offset = usize::try_from(self.pos - chunk * CHUNK as u64).map_err(io::Error::other)?;
        let available = self.buf.get(offset..).unwrap_or_default();
        let n = out.len().min(available.len());
        out[..n].copy_from_slice(&available[..n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: Read + Seek> Seek for OpeningReader<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        let target = target.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        self.pos = target;
        Ok(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASS: &str = "correct horse battery";

    fn sealed(content: &[u8]) -> Vec<u8> {
        let mut w = SealingWriter::new(Vec::new(), PASS).unwrap();
        // In odd pieces, as a zip writer writes.
        for piece in content.chunks(1000) {
            w.write_all(piece).unwrap();
        }
        w.finish().unwrap()
    }

    #[test]
    fn round_trips_with_seeks_at_every_size_and_refuses_tampering() {
        for size in [0usize, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 5] {
            let content: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
            let disk = sealed(&content);
            assert!(is_sealed(&disk));
            if size > 16 {
                assert!(!disk.windows(16).any(|w| w == &content[..16]), "no plain run on disk");
            }
            let mut r = OpeningReader::new(io::Cursor::new(disk.clone()), PASS).unwrap();
            assert_eq!(r.len(), size as u64);
            let mut back = Vec::new();
            r.read_to_end(&mut back).unwrap();
            assert_eq!(back, content, "{size}");
            if size > 10 {
                r.seek(SeekFrom::End(-10)).unwrap();
                let mut tail = Vec::new();
                r.read_to_end(&mut tail).unwrap();
                assert_eq!(tail, content[size - 10..], "{size}");
            }
            // Cut at a chunk boundary: the new last chunk is not marked last.
            if size > CHUNK {
                let cut = disk[..HEADER + CHUNK + TAG].to_vec();
                let opened = OpeningReader::new(io::Cursor::new(cut), PASS);
                assert!(opened.is_err() || opened.unwrap().read_to_end(&mut Vec::new()).is_err(), "cut {size}");
            }
            let mut flipped = disk.clone();
            *flipped.last_mut().unwrap() ^= 1;
            let opened = OpeningReader::new(io::Cursor::new(flipped), PASS);
            assert!(opened.is_err() || opened.unwrap().read_to_end(&mut Vec::new()).is_err());
        }
    }

    #[test]
    fn a_wrong_passphrase_and_a_short_one_are_refused() {
        let disk = sealed(b"records");
        let err = OpeningReader::new(io::Cursor::new(disk), "wrong horse battery").err().unwrap();
        assert_eq!(err.code, ErrorCode::WrongKey);
        let err = SealingWriter::new(Vec::new(), "short").err().unwrap();
        assert_eq!(err.fields.first().map(|f| f.field.as_str()), Some("passphrase"));
    }
}
