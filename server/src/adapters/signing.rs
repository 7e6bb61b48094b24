//! Ticket-code signing keys. A keyring file holds every key ever used (so tickets signed before a
//! rotation still verify); the newest key that is not retired signs. A retired key (one that
//! leaked) neither signs nor verifies any more.
//!
//! The file is written with mode 0600 from its creation (never readable by others, not even for
//! an instant), fsynced, and put in place atomically. When it is absent, the first process to
//! publish one wins and the others load it: app servers starting together end up with one
//! keyring. `guichet keys rotate|retire` edit it; servers reload it on SIGHUP.
use app::ticket_code::{self, Keyring, PublicKeyInfo, TicketClaims};
use data_encoding::BASE64;
use ed25519_dalek::{Signer as _, SigningKey};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read or write the keyring {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("keyring {0} is malformed")]
    Malformed(String),
    #[error("keyring is full (255 keys)")]
    Full,
    #[error("no key {0} in the keyring")]
    UnknownKey(u8),
    #[error("key {0} is the only one left to sign with: rotate first")]
    LastKey(u8),
}

#[derive(Serialize, Deserialize)]
struct KeyFile {
    keys: Vec<StoredKey>,
}

#[derive(Serialize, Deserialize)]
struct StoredKey {
    id: u8,
    /// Base64 of the 32-byte Ed25519 secret.
    secret: String,
    created_at: i64,
    /// When it was retired (it leaked): it neither signs nor verifies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retired_at: Option<i64>,
}

/// The keys in use: never empty; the last one signs.
struct Keys {
    signing: Vec<(u8, SigningKey)>,
    verify: Keyring,
}

impl Keys {
    fn of(mut signing: Vec<(u8, SigningKey)>) -> Option<Keys> {
        if signing.is_empty() {
            return None;
        }
        signing.sort_by_key(|(id, _)| *id);
        let mut verify = Keyring::new();
        for (id, k) in &signing {
            // A key made from valid bytes always verifies; `add` only fails on invalid points.
            let _ = verify.add(*id, k.verifying_key().to_bytes());
        }
        Some(Keys { signing, verify })
    }
}

pub struct KeyringSigner {
    keys: RwLock<Arc<Keys>>,
    /// Where it was loaded from (for `reload`).
    path: Option<PathBuf>,
}

impl KeyringSigner {
    /// `None` for an empty keyring.
    pub fn from_keys(keys: Vec<(u8, SigningKey)>) -> Option<KeyringSigner> {
        Some(KeyringSigner {
            keys: RwLock::new(Arc::new(Keys::of(keys)?)),
            path: None,
        })
    }

    /// Loads the keyring, creating it with a fresh key when absent.
    pub fn load_or_create(path: &Path, now: i64) -> Result<KeyringSigner, KeyError> {
        if !path.exists() {
            let file = KeyFile {
                keys: vec![new_key(1, now)],
            };
            match write_private(path, &file, Publish::IfAbsent) {
                Ok(()) => {}
                // Another process published its keyring first: use that one.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(io_error(path, e)),
            }
        }
        Ok(KeyringSigner {
            keys: RwLock::new(Arc::new(read(path)?)),
            path: Some(path.to_path_buf()),
        })
    }

    /// Reads the keyring file again (after a rotation or a retirement; on SIGHUP). On error the
    /// keys in use are kept.
    pub fn reload(&self) -> Result<(), KeyError> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let keys = Arc::new(read(path)?);
        *self.keys.write().unwrap_or_else(|e| e.into_inner()) = keys;
        Ok(())
    }

    fn current(&self) -> Arc<Keys> {
        self.keys.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Adds a new signing key to the keyring file; returns its id. Old keys stay valid.
    pub fn rotate(path: &Path, now: i64) -> Result<u8, KeyError> {
        let mut file = read_file(path)?;
        let next = file
            .keys
            .iter()
            .map(|k| k.id)
            .max()
            .unwrap_or(0)
            .checked_add(1)
            .ok_or(KeyError::Full)?;
        file.keys.push(new_key(next, now));
        write_private(path, &file, Publish::Replace).map_err(|e| io_error(path, e))?;
        Ok(next)
    }

    /// Retires a key: codes it signed no longer verify. The last key able to sign cannot be
    /// retired (rotate first).
    pub fn retire(path: &Path, id: u8, now: i64) -> Result<(), KeyError> {
        let mut file = read_file(path)?;
        let active = file.keys.iter().filter(|k| k.retired_at.is_none()).count();
        let key = file
            .keys
            .iter_mut()
            .find(|k| k.id == id)
            .ok_or(KeyError::UnknownKey(id))?;
        if key.retired_at.is_none() && active == 1 {
            return Err(KeyError::LastKey(id));
        }
        key.retired_at.get_or_insert(now);
        write_private(path, &file, Publish::Replace).map_err(|e| io_error(path, e))
    }

    /// Signs with the newest key; returns (key id, code).
    pub fn sign(&self, claims: TicketClaims) -> (u8, String) {
        let keys = self.current();
        let (id, key) = &keys.signing[keys.signing.len() - 1];
        let claims = TicketClaims {
            key_id: *id,
            ..claims
        };
        let payload = claims.payload();
        let sig = key.sign(&ticket_code::signing_message(&payload));
        (*id, ticket_code::assemble(&payload, &sig.to_bytes()))
    }

    pub fn verify(&self, code: &str) -> Option<TicketClaims> {
        self.current().verify.verify(code).ok()
    }

    pub fn public_keys(&self) -> Vec<PublicKeyInfo> {
        self.current()
            .signing
            .iter()
            .map(|(id, k)| PublicKeyInfo {
                key_id: *id,
                algorithm: "ed25519".into(),
                public_key: BASE64.encode(k.verifying_key().as_bytes()),
            })
            .collect()
    }
}

impl crate::ports::TicketSigner for KeyringSigner {
    fn sign(&self, claims: TicketClaims) -> (u8, String) {
        KeyringSigner::sign(self, claims)
    }
    fn verify(&self, code: &str) -> Option<TicketClaims> {
        KeyringSigner::verify(self, code)
    }
    fn public_keys(&self) -> Vec<PublicKeyInfo> {
        KeyringSigner::public_keys(self)
    }
    fn sign_bytes(&self, message: &[u8]) -> (u8, Vec<u8>) {
        let keys = self.current();
        let (id, key) = &keys.signing[keys.signing.len() - 1];
        (*id, key.sign(message).to_bytes().to_vec())
    }
    fn verify_bytes(&self, key_id: u8, message: &[u8], signature: &[u8]) -> bool {
        let keys = self.current();
        let Some((_, key)) = keys.signing.iter().find(|(id, _)| *id == key_id) else {
            return false;
        };
        let Ok(sig) = ed25519_dalek::Signature::from_slice(signature) else {
            return false;
        };
        use ed25519_dalek::Verifier;
        key.verifying_key().verify(message, &sig).is_ok()
    }
}

fn io_error(path: &Path, source: std::io::Error) -> KeyError {
    KeyError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn read_file(path: &Path) -> Result<KeyFile, KeyError> {
    let text = std::fs::read_to_string(path).map_err(|e| io_error(path, e))?;
    serde_json::from_str(&text).map_err(|_| KeyError::Malformed(path.display().to_string()))
}

/// The keys that are not retired.
fn read(path: &Path) -> Result<Keys, KeyError> {
    let malformed = || KeyError::Malformed(path.display().to_string());
    let mut keys = Vec::new();
    for k in read_file(path)?
        .keys
        .into_iter()
        .filter(|k| k.retired_at.is_none())
    {
        let bytes = BASE64
            .decode(k.secret.as_bytes())
            .map_err(|_| malformed())?;
        let arr: [u8; 32] = bytes.try_into().map_err(|_| malformed())?;
        keys.push((k.id, SigningKey::from_bytes(&arr)));
    }
    Keys::of(keys).ok_or_else(malformed)
}

fn new_key(id: u8, now: i64) -> StoredKey {
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    StoredKey {
        id,
        secret: BASE64.encode(key.as_bytes()),
        created_at: now,
        retired_at: None,
    }
}

enum Publish {
    /// Only if no keyring is there yet (`AlreadyExists` otherwise).
    IfAbsent,
    Replace,
}

/// Writes `file` next to `path` (created 0600, fsynced), then puts it in place: atomically
/// replacing the old one, or only if there is none.
fn write_private(path: &Path, file: &KeyFile, publish: Publish) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)?;
    let json = serde_json::to_string_pretty(file).map_err(std::io::Error::other)?;
    let tmp = path.with_extension(format!(
        "tmp-{}-{:08x}",
        std::process::id(),
        rand::random::<u32>()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = (|| {
        let mut f = options.open(&tmp)?;
        f.write_all(json.as_bytes())?;
        f.sync_all()?;
        match publish {
            // A hard link fails if the name exists: exactly one process publishes.
            Publish::IfAbsent => std::fs::hard_link(&tmp, path),
            Publish::Replace => std::fs::rename(&tmp, path),
        }
    })();
    let _ = std::fs::remove_file(&tmp);
    written?;
    // The new name itself must survive a crash.
    std::fs::File::open(&dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> TicketClaims {
        TicketClaims {
            key_id: 0,
            performance_id: 3,
            ticket_id: 99,
        }
    }

    fn temp_dir() -> PathBuf {
        std::env::temp_dir().join(format!("guichet-keys-{}", rand::random::<u64>()))
    }

    #[test]
    fn keyring_file_round_trip_and_rotation() {
        let dir = temp_dir();
        let path = dir.join("keys.json");
        let signer = KeyringSigner::load_or_create(&path, 1).unwrap();
        let (id, code) = signer.sign(claims());
        assert_eq!(id, 1);
        assert_eq!(signer.verify(&code).unwrap().ticket_id, 99);

        assert_eq!(KeyringSigner::rotate(&path, 2).unwrap(), 2);
        let rotated = KeyringSigner::load_or_create(&path, 3).unwrap();
        let (id2, code2) = rotated.sign(claims());
        assert_eq!(id2, 2);
        // Old codes still verify after the rotation; new ones use the new key.
        assert!(rotated.verify(&code).is_some());
        assert!(rotated.verify(&code2).is_some());
        assert_eq!(rotated.public_keys().len(), 2);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left behind");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn servers_starting_together_share_one_keyring() {
        let dir = temp_dir();
        let path = dir.join("keys.json");
        let signers: Vec<KeyringSigner> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| s.spawn(|| KeyringSigner::load_or_create(&path, 1).unwrap()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let first = signers[0].public_keys();
        assert!(signers.iter().all(|s| s.public_keys() == first));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_retired_key_stops_verifying_after_a_reload() {
        let dir = temp_dir();
        let path = dir.join("keys.json");
        let server = KeyringSigner::load_or_create(&path, 1).unwrap();
        let (_, old) = server.sign(claims());
        assert!(matches!(
            KeyringSigner::retire(&path, 1, 2),
            Err(KeyError::LastKey(1))
        ));
        KeyringSigner::rotate(&path, 2).unwrap();
        KeyringSigner::retire(&path, 1, 3).unwrap();
        assert!(matches!(
            KeyringSigner::retire(&path, 9, 3),
            Err(KeyError::UnknownKey(9))
        ));
        assert!(server.verify(&old).is_some(), "until the server reloads");
        server.reload().unwrap();
        assert!(server.verify(&old).is_none());
        let (id, new) = server.sign(claims());
        assert_eq!(id, 2);
        assert!(server.verify(&new).is_some());
        assert_eq!(server.public_keys().len(), 1);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
