use app::domain::Password;
use async_trait::async_trait;

/// Password hashing: slow on purpose (Argon2id in production), so the use cases await it off
/// the request threads; the unit tests use a fast fake.
#[async_trait]
pub trait PasswordHasher: Send + Sync + 'static {
    /// A self-describing hash (algorithm, parameters, salt) to store.
    async fn hash(&self, password: &Password) -> Result<String, app::ports::Failure>;
    /// False for a wrong password or a hash this hasher cannot read.
    async fn verify(&self, password: &str, hash: &str) -> bool;
}
