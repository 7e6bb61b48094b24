//! Argon2id password hashes (RustCrypto's `argon2`), computed on tokio's blocking pool so
//! that a login never stalls the request threads.
use crate::ports::PasswordHasher;
use app::domain::Password;
use app::ports::Failure;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use async_trait::async_trait;

/// OWASP's first recommended Argon2id setting: 19 MiB, 2 passes, 1 lane (about 25 ms on the
/// reference machine). The parameters travel in each PHC string: raising them later keeps
/// old hashes verifiable.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub struct Argon2Hasher;

#[async_trait]
impl PasswordHasher for Argon2Hasher {
    async fn hash(&self, password: &Password) -> Result<String, Failure> {
        let password = password.expose().to_string();
        tokio::task::spawn_blocking(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon2::PasswordHasher::hash_password(&argon2(), password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| Failure::Internal(format!("password hashing: {e}")))
        })
        .await
        .map_err(|e| Failure::Internal(format!("password hashing: {e}")))?
    }

    async fn verify(&self, password: &str, hash: &str) -> bool {
        let (password, hash) = (password.to_string(), hash.to_string());
        tokio::task::spawn_blocking(move || {
            PasswordHash::new(&hash).is_ok_and(|parsed| {
                argon2::PasswordVerifier::verify_password(&argon2(), password.as_bytes(), &parsed)
                    .is_ok()
            })
        })
        .await
        .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn argon2id_hashes_verify_and_differ() {
        let p = Password::parse("rideau-rouge-2026").unwrap();
        let a = Argon2Hasher.hash(&p).await.unwrap();
        let b = Argon2Hasher.hash(&p).await.unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "a salt of its own each time");
        assert!(Argon2Hasher.verify("rideau-rouge-2026", &a).await);
        assert!(!Argon2Hasher.verify("rideau-rouge-2027", &a).await);
        assert!(
            !Argon2Hasher
                .verify("rideau-rouge-2026", "pas un hash")
                .await
        );
    }
}
