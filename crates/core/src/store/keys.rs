//! The keys of an encrypted workspace.
//!
//! The database is encrypted by SQLCipher with a random 256-bit key. That key is never
//! derived from the passphrase, so changing the passphrase rewrites one small file, not the
//! database:
//!
//! - the **key file** beside the workspace (`acme.readyroom.key`) holds the key wrapped
//!   (XChaCha20-Poly1305) under a key derived from the passphrase with Argon2id;
//! - the **recovery key**, shown once when the workspace is made encrypted, *is* the
//!   database key, written as 56 letters and digits. With it alone the workspace opens, even
//!   when the key file is lost, and a new passphrase can be set.
//!
//! A wrong passphrase fails the AEAD check of the key file: nothing is opened, nothing changes.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, ErrorCode, Result};

/// The key file's format, written in the file.
pub const KEY_FILE_FORMAT: &str = "readyroom-key/1";
/// The shortest passphrase accepted for a new workspace or a new passphrase.
pub const MIN_PASSPHRASE_CHARS: usize = 10;

/// Argon2id costs: 64 MiB and 3 passes (OWASP's second recommended setting), one lane.
const MEMORY_KIB: u32 = 64 * 1024;
const ITERATIONS: u32 = 3;
const LANES: u32 = 1;
/// Argon2id's memory (KiB), passes and lanes for a new key file or sealed file.
pub(crate) const ARGON2_SETTINGS: (u32, u32, u32) = (MEMORY_KIB, ITERATIONS, LANES);

/// The database key. Wiped from memory when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseKey([u8; 32]);

impl std::fmt::Debug for DatabaseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DatabaseKey(…)")
    }
}

impl Drop for DatabaseKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// Crockford's base-32 alphabet: no I, L, O or U, so the recovery key reads aloud and types
/// back without confusing 1 and I, or 0 and O.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

pub(crate) fn random<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out)
        .map_err(|e| Error::internal(format!("the system's random number generator failed: {e}")))?;
    Ok(out)
}

impl DatabaseKey {
    /// A new random key.
    pub fn random() -> Result<Self> {
        Ok(Self(random::<32>()?))
    }

    /// The value of SQLCipher's `PRAGMA key` for this raw key (SQLCipher derives nothing from it).
    pub fn pragma(&self) -> Zeroizing<String> {
        let mut text = String::with_capacity(67);
        text.push_str("x'");
        for b in self.0 {
            text.push_str(&format!("{b:02X}"));
        }
        text.push('\'');
        Zeroizing::new(text)
    }

    /// The key that seals the workspace's attachment files: derived from the database key
    /// (domain-separated SHA-256 of a uniformly random key), so whatever opens the database
    /// opens its files, and no second key has to be kept or wrapped.
    pub fn attachment_key(&self) -> crate::store::attachments::AttachmentKey {
        let mut h = Sha256::new();
        h.update(b"readyroom/attachments/v1\0");
        h.update(self.0);
        crate::store::attachments::AttachmentKey::new(h.finalize().into())
    }

    /// The recovery key: the 256 bits in base 32 and a 20-bit check, in fourteen groups of four.
    pub fn recovery_text(&self) -> String {
        let check = Sha256::digest(self.0);
        let mut bits: Vec<bool> = self.0.iter().flat_map(|b| (0..8).rev().map(move |i| b >> i & 1 == 1)).collect();
        bits.resize(260, false);
        bits.extend((0..20).map(|i| check[i / 8] >> (7 - i % 8) & 1 == 1));
        let chars: Vec<char> =
            bits.chunks(5).map(|c| ALPHABET[c.iter().fold(0usize, |n, b| n << 1 | usize::from(*b))] as char).collect();
        chars.chunks(4).map(|g| g.iter().collect::<String>()).collect::<Vec<_>>().join("-")
    }

    /// Reads a recovery key as the user typed it: case, dashes and spaces do not matter, and
    /// O, I and L are read as 0, 1 and 1. A typo fails the check with a clear message.
    pub fn from_recovery_text(text: &str) -> Result<Self> {
        let wrong =
            |why: &str| Error::new(ErrorCode::WrongKey, format!("That is not this workspace's recovery key: {why}."));
        let mut values = Vec::with_capacity(56);
        for c in text.chars().filter(|c| !c.is_whitespace() && *c != '-') {
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            match ALPHABET.iter().position(|a| *a as char == c) {
                Some(v) => values.push(v),
                None => return Err(wrong(&format!("{c:?} is not one of its letters or digits"))),
            }
        }
        if values.len() != 56 {
            return Err(wrong(&format!("it has 56 letters and digits, and this has {}", values.len())));
        }
        let bits: Vec<bool> = values.iter().flat_map(|v| (0..5).rev().map(move |i| v >> i & 1 == 1)).collect();
        let byte = |from: usize| bits[from..from + 8].iter().fold(0u8, |n, b| n << 1 | u8::from(*b));
        let mut key = [0u8; 32];
        for (i, k) in key.iter_mut().enumerate() {
            *k = byte(i * 8);
        }
        let check = Sha256::digest(key);
        let expected: Vec<bool> = (0..20).map(|i| check[i / 8] >> (7 - i % 8) & 1 == 1).collect();
        let key = Self(key);
        if bits[260..280] != expected[..] || bits[256..260].iter().any(|b| *b) {
            return Err(wrong("a letter or digit is mistyped (its check does not match)"));
        }
        Ok(key)
    }
}

/// The key file beside an encrypted workspace: the database key wrapped under the passphrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFile {
    pub format: String,
    pub kdf: String,
    pub memory_kib: u32,
    pub iterations: u32,
    pub lanes: u32,
    /// Hex.
    pub salt: String,
    /// Hex.
    pub nonce: String,
    /// The wrapped key and its tag, hex.
    pub wrapped_key: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

/// The 32-byte key Argon2id derives from `passphrase` with these settings.
pub(crate) fn derive_key(
    passphrase: &str,
    salt: &[u8],
    memory_kib: u32,
    iterations: u32,
    lanes: u32,
) -> Result<Zeroizing<[u8; 32]>> {
    let params = Params::new(memory_kib, iterations, lanes, Some(32)).map_err(|e| {
        Error::new(ErrorCode::KeyFileInvalid, format!("The key file's Argon2 settings are not valid: {e}."))
    })?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, out.as_mut())
        .map_err(|e| Error::internal(format!("Argon2id failed: {e}")))?;
    Ok(out)
}

/// Refuses a passphrase too short to protect the workspace (on the `passphrase` field).
pub fn check_new_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Error::field(
            "passphrase",
            format!("Use at least {MIN_PASSPHRASE_CHARS} characters; a few words you will remember are best."),
        ));
    }
    Ok(())
}

impl KeyFile {
    /// Wraps `key` under `passphrase` with a fresh salt and nonce.
    pub fn wrap(key: &DatabaseKey, passphrase: &str) -> Result<Self> {
        let salt = random::<16>()?;
        let nonce = random::<24>()?;
        let kek = derive_key(passphrase, &salt, MEMORY_KIB, ITERATIONS, LANES)?;
        let cipher = XChaCha20Poly1305::new_from_slice(kek.as_ref())
            .map_err(|_| Error::internal("a 32-byte key fits XChaCha20-Poly1305"))?;
        let wrapped = cipher
            .encrypt(&XNonce::from(nonce), key.0.as_ref())
            .map_err(|_| Error::internal("wrapping the workspace key failed"))?;
        Ok(Self {
            format: KEY_FILE_FORMAT.into(),
            kdf: "argon2id".into(),
            memory_kib: MEMORY_KIB,
            iterations: ITERATIONS,
            lanes: LANES,
            salt: hex(&salt),
            nonce: hex(&nonce),
            wrapped_key: hex(&wrapped),
        })
    }

    /// The database key, when `passphrase` is the right one.
    pub fn unwrap_key(&self, passphrase: &str, path: &Path) -> Result<DatabaseKey> {
        let invalid = |why: &str| {
            Error::new(ErrorCode::KeyFileInvalid, format!("{} is not a valid key file ({why}).", path.display()))
        };
        if self.format != KEY_FILE_FORMAT || self.kdf != "argon2id" {
            return Err(invalid(&format!("format {:?}, key derivation {:?}", self.format, self.kdf)));
        }
        // Costs far above ours would let a planted key file stall the app; refuse them.
        if self.memory_kib > 1024 * 1024 || self.iterations > 64 || self.lanes > 16 {
            return Err(invalid("its Argon2 costs are out of range"));
        }
        let (Some(salt), Some(nonce), Some(wrapped)) =
            (unhex(&self.salt), unhex(&self.nonce), unhex(&self.wrapped_key))
        else {
            return Err(invalid("a value is not hexadecimal"));
        };
        let nonce: [u8; 24] = nonce.try_into().map_err(|_| invalid("the nonce is not 24 bytes"))?;
        let kek = derive_key(passphrase, &salt, self.memory_kib, self.iterations, self.lanes)?;
        let cipher = XChaCha20Poly1305::new_from_slice(kek.as_ref())
            .map_err(|_| Error::internal("a 32-byte key fits XChaCha20-Poly1305"))?;
        let plain = Zeroizing::new(cipher.decrypt(&XNonce::from(nonce), wrapped.as_ref()).map_err(|_| {
            Error::new(ErrorCode::WrongKey, "That passphrase does not open this workspace. Nothing was changed.")
        })?);
        let key: [u8; 32] = plain.as_slice().try_into().map_err(|_| invalid("the wrapped key is not 32 bytes"))?;
        Ok(DatabaseKey(key))
    }

    /// The key file of the workspace at `db`, if there is one.
    pub fn read(db: &Path) -> Result<Option<Self>> {
        let path = key_file_path(db);
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::new(ErrorCode::Io, format!("Cannot read {}: {e}.", path.display()))),
        };
        serde_json::from_str(&text).map(Some).map_err(|e| {
            Error::new(ErrorCode::KeyFileInvalid, format!("{} is not a valid key file ({e}).", path.display()))
        })
    }

    /// Writes the key file of the workspace at `db` atomically: a new file, flushed to disk,
    /// renamed over the old one.
    pub fn write(&self, db: &Path) -> Result<()> {
        let path = key_file_path(db);
        let temp = path.with_extension("key-new");
        let text = serde_json::to_string_pretty(self).map_err(|e| Error::internal(e.to_string()))?;
        let io = |e: std::io::Error| Error::new(ErrorCode::Io, format!("Cannot write {}: {e}.", path.display()));
        let mut file = fs::File::create(&temp).map_err(io)?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.write_all(b"\n"))
            .and_then(|()| file.sync_all())
            .map_err(io)?;
        drop(file);
        fs::rename(&temp, &path).map_err(io)?;
        Ok(())
    }
}

/// Where the key file of the workspace at `db` lives: `acme.readyroom.key`.
pub fn key_file_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".key");
    db.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_keys_round_trip_and_catch_typos() {
        let key = DatabaseKey::random().unwrap();
        let text = key.recovery_text();
        assert_eq!(text.len(), 56 + 13);
        assert_eq!(DatabaseKey::from_recovery_text(&text).unwrap(), key);
        let sloppy = text.to_lowercase().replace('-', " ").replace('0', "o");
        assert_eq!(DatabaseKey::from_recovery_text(&sloppy).unwrap(), key);
        // One character changed: the check catches it.
        let mut typo: Vec<char> = text.chars().collect();
        typo[3] = if typo[3] == 'A' { 'B' } else { 'A' };
        let err = DatabaseKey::from_recovery_text(&typo.into_iter().collect::<String>()).unwrap_err();
        assert_eq!(err.code, ErrorCode::WrongKey);
        assert!(DatabaseKey::from_recovery_text("ABCD").unwrap_err().message.contains("56 letters"));
    }

    #[test]
    fn a_key_file_opens_with_its_passphrase_only() {
        let key = DatabaseKey::random().unwrap();
        let file = KeyFile::wrap(&key, "correct horse battery").unwrap();
        assert_eq!(file.unwrap_key("correct horse battery", Path::new("k")).unwrap(), key);
        let err = file.unwrap_key("correct horse batterY", Path::new("k")).unwrap_err();
        assert_eq!(err.code, ErrorCode::WrongKey);
        let mut bad = file.clone();
        bad.memory_kib = u32::MAX;
        assert_eq!(
            bad.unwrap_key("correct horse battery", Path::new("k")).unwrap_err().code,
            ErrorCode::KeyFileInvalid
        );
        assert!(!serde_json::to_string(&file).unwrap().contains(&hex(&key.0)), "the key is never written plain");
    }
}
