//! Who sent a request: the peer address, or behind a trusted reverse proxy the address that
//! proxy saw (`X-Forwarded-For`). The header is only believed when the peer is a configured
//! proxy — anybody else could write any address in it and hop out of every per-client limit.
use app::domain::ClientKey;
use axum::extract::{ConnectInfo, Request};
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The reverse proxies whose `X-Forwarded-For` is believed (`GUICHET_TRUSTED_PROXIES`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(pub Vec<IpNet>);

impl TrustedProxies {
    /// "10.0.0.1, 192.168.0.0/16, ::1": addresses or blocks, comma-separated.
    pub fn parse(list: &str) -> Option<TrustedProxies> {
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpNet>()
                    .ok()
                    .or_else(|| s.parse::<IpAddr>().ok().map(IpNet::from))
            })
            .collect::<Option<Vec<_>>>()
            .map(TrustedProxies)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client of a request that came from `peer` with these `X-Forwarded-For` values:
    /// walking from the right (the entry our proxy added), the first address that is not one
    /// of our proxies. A client can prepend anything; it cannot forge what our proxy appended.
    pub fn client(&self, peer: IpAddr, forwarded: &[&str]) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        let hops = forwarded
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect::<Vec<_>>();
        let mut client = peer;
        for hop in hops.iter().rev() {
            let Ok(ip) = hop.parse::<IpAddr>() else {
                // Garbage where an address should be: stop at the last address we trust.
                break;
            };
            client = canonical(ip);
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// Puts the request's `ClientKey` in its extensions (server functions read it from the request
/// parts, REST handlers extract it). Without connection info (a router
/// served without it), nothing is added and per-client limits do not apply.
pub async fn client_address(
    axum::extract::State(proxies): axum::extract::State<Arc<TrustedProxies>>,
    mut req: Request,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let forwarded: Vec<&str> = req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let ip = proxies.client(peer.ip(), &forwarded);
        req.extensions_mut().insert(ClientKey::from_ip(ip));
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(ip("203.0.113.9"), &["198.51.100.1"]),
            ip("203.0.113.9")
        );
        let proxy = TrustedProxies::parse("10.0.0.0/8, ::1").unwrap();
        assert_eq!(
            proxy.client(ip("10.0.0.2"), &["198.51.100.1"]),
            ip("198.51.100.1")
        );
        // A client-written entry on the left is not believed over the proxy's own.
        assert_eq!(
            proxy.client(ip("10.0.0.2"), &["1.2.3.4, 198.51.100.1"]),
            ip("198.51.100.1")
        );
        // Chained proxies are skipped; several header lines count as one list.
        assert_eq!(
            proxy.client(ip("10.0.0.2"), &["198.51.100.1", "10.0.0.7"]),
            ip("198.51.100.1")
        );
        // No header: the proxy itself.
        assert_eq!(proxy.client(ip("::1"), &[]), ip("::1"));
        assert_eq!(proxy.client(ip("10.0.0.2"), &["junk"]), ip("10.0.0.2"));
        assert_eq!(
            proxy.client(ip("::ffff:10.0.0.2"), &["198.51.100.1"]),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn the_proxy_list_parses_addresses_and_blocks() {
        assert!(TrustedProxies::parse("127.0.0.1, 10.0.0.0/8, fd00::/8").is_some());
        assert_eq!(TrustedProxies::parse(""), Some(TrustedProxies::default()));
        assert!(TrustedProxies::parse("10.0.0.0/33").is_none());
        assert!(TrustedProxies::parse("proxy.local").is_none());
    }
}
