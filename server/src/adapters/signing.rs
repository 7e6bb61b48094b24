//! Ticket-code signing keys. A keyring file holds every key ever used (so tickets signed before a
//! rotation still verify); the newest key signs. The file is created on first start with mode
//! 0600 and must never be committed.
use app::ticket_code::{self, Keyring, PublicKeyInfo, TicketClaims};
use data_encoding::BASE64;
use ed25519_dalek::{Signer as _, SigningKey};
use serde::{Deserialize, Serialize};
use std::path::Path;

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
}

pub struct KeyringSigner {
    /// Never empty; the newest key signs.
    keys: Vec<(u8, SigningKey)>,
    verify: Keyring,
}

impl KeyringSigner {
    /// `None` for an empty keyring.
    pub fn from_keys(mut keys: Vec<(u8, SigningKey)>) -> Option<KeyringSigner> {
        if keys.is_empty() {
            return None;
        }
        keys.sort_by_key(|(id, _)| *id);
        let mut verify = Keyring::new();
        for (id, k) in &keys {
            // A key made from valid bytes always verifies; `add` only fails on invalid points.
            let _ = verify.add(*id, k.verifying_key().to_bytes());
        }
        Some(KeyringSigner { keys, verify })
    }

    /// Loads the keyring, creating it with a fresh key when absent.
    pub fn load_or_create(path: &Path, now: i64) -> Result<KeyringSigner, KeyError> {
        let io = |source| KeyError::Io {
            path: path.display().to_string(),
            source,
        };
        if !path.exists() {
            let file = KeyFile {
                keys: vec![new_key(1, now)],
            };
            write_private(path, &file).map_err(io)?;
        }
        let text = std::fs::read_to_string(path).map_err(io)?;
        let file: KeyFile = serde_json::from_str(&text)
            .map_err(|_| KeyError::Malformed(path.display().to_string()))?;
        let mut keys = Vec::new();
        for k in file.keys {
            let bytes = BASE64
                .decode(k.secret.as_bytes())
                .map_err(|_| KeyError::Malformed(path.display().to_string()))?;
            let arr: [u8; 32] = bytes
                .try_into()
                .map_err(|_| KeyError::Malformed(path.display().to_string()))?;
            keys.push((k.id, SigningKey::from_bytes(&arr)));
        }
        KeyringSigner::from_keys(keys)
            .ok_or_else(|| KeyError::Malformed(path.display().to_string()))
    }

    /// Adds a new signing key to the keyring file; returns its id. Old keys stay valid.
    pub fn rotate(path: &Path, now: i64) -> Result<u8, KeyError> {
        let io = |source| KeyError::Io {
            path: path.display().to_string(),
            source,
        };
        let text = std::fs::read_to_string(path).map_err(io)?;
        let mut file: KeyFile = serde_json::from_str(&text)
            .map_err(|_| KeyError::Malformed(path.display().to_string()))?;
        let next = file
            .keys
            .iter()
            .map(|k| k.id)
            .max()
            .unwrap_or(0)
            .checked_add(1)
            .ok_or(KeyError::Full)?;
        file.keys.push(new_key(next, now));
        write_private(path, &file).map_err(io)?;
        Ok(next)
    }

    /// Signs with the newest key; returns (key id, code).
    pub fn sign(&self, claims: TicketClaims) -> (u8, String) {
        let (id, key) = &self.keys[self.keys.len() - 1];
        let claims = TicketClaims {
            key_id: *id,
            ..claims
        };
        let payload = claims.payload();
        let sig = key.sign(&ticket_code::signing_message(&payload));
        (*id, ticket_code::assemble(&payload, &sig.to_bytes()))
    }

    pub fn keyring(&self) -> &Keyring {
        &self.verify
    }

    pub fn public_keys(&self) -> Vec<PublicKeyInfo> {
        self.keys
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
        self.verify.verify(code).ok()
    }
    fn public_keys(&self) -> Vec<PublicKeyInfo> {
        KeyringSigner::public_keys(self)
    }
}

fn new_key(id: u8, now: i64) -> StoredKey {
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    StoredKey {
        id,
        secret: BASE64.encode(key.as_bytes()),
        created_at: now,
    }
}

fn write_private(path: &Path, file: &KeyFile) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)?;
        }
    }
    let json = serde_json::to_string_pretty(file).map_err(std::io::Error::other)?;
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, json)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))?;
    }
    std::fs::rename(tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyring_file_round_trip_and_rotation() {
        let dir = std::env::temp_dir().join(format!("guichet-keys-{}", rand::random::<u64>()));
        let path = dir.join("keys.json");
        let signer = KeyringSigner::load_or_create(&path, 1).unwrap();
        let claims = TicketClaims {
            key_id: 0,
            performance_id: 3,
            ticket_id: 99,
        };
        let (id, code) = signer.sign(claims);
        assert_eq!(id, 1);
        assert_eq!(signer.keyring().verify(&code).unwrap().ticket_id, 99);

        assert_eq!(KeyringSigner::rotate(&path, 2).unwrap(), 2);
        let rotated = KeyringSigner::load_or_create(&path, 3).unwrap();
        let (id2, code2) = rotated.sign(claims);
        assert_eq!(id2, 2);
        // Old codes still verify after the rotation; new ones use the new key.
        assert!(rotated.keyring().verify(&code).is_ok());
        assert!(rotated.keyring().verify(&code2).is_ok());
        assert_eq!(rotated.public_keys().len(), 2);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        std::fs::remove_dir_all(dir).unwrap();
    }
}
