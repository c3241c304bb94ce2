//! Strikes against peers that gossip what no honest pool would admit, and their decay.
//!
//! Each rejected message is one strike against the peer it came from. At
//! [`NetworkConfig::strikes_before_ban`](crate::NetworkConfig) strikes the peer is banned (the worker disconnects
//! it). Strikes decay: every [`NetworkConfig::strike_decay`](crate::NetworkConfig) without a new strike forgives
//! one, so an honest peer that now and then loses a race (a transaction that expired while in flight) is never
//! banned, while a peer striking faster than that reaches the limit. A new strike restarts the decay clock. The
//! clock is passed in (tokio's `Instant`, so tests control it).

use std::collections::HashMap;
use std::time::Duration;

use libp2p::PeerId;
use tokio::time::Instant;

/// Strikes per peer, decaying over time.
#[derive(Debug)]
pub(crate) struct Strikes {
    limit: u32,
    decay: Duration,
    /// Strikes as of the instant, per peer.
    peers: HashMap<PeerId, (u32, Instant)>,
}

/// What one more strike did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Strike {
    /// The peer's strikes now (after decay, this one included).
    pub(crate) count: u32,
    /// Whether they reached the limit: ban the peer (its count is reset).
    pub(crate) ban: bool,
}

impl Strikes {
    /// Bans at `limit` strikes (at least 1); one strike decays every `decay` (at least 1 ms).
    pub(crate) fn new(limit: u32, decay: Duration) -> Self {
        Self {
            limit: limit.max(1),
            decay: decay.max(Duration::from_millis(1)),
            peers: HashMap::new(),
        }
    }

    /// The strikes `peer` holds at `now`.
    pub(crate) fn count(&self, peer: &PeerId, now: Instant) -> u32 {
        self.peers
            .get(peer)
            .map_or(0, |&(count, since)| self.decayed(count, since, now))
    }

    /// Counts a strike against `peer` at `now`.
    pub(crate) fn strike(&mut self, peer: PeerId, now: Instant) -> Strike {
        let count = self.count(&peer, now) + 1;
        if count >= self.limit {
            self.peers.remove(&peer);
            return Strike { count, ban: true };
        }
        self.peers.insert(peer, (count, now));
        Strike { count, ban: false }
    }

    /// Forgets the peers whose strikes have all decayed by `now`.
    pub(crate) fn forget_decayed(&mut self, now: Instant) {
        let (decay, peers) = (self.decay, &mut self.peers);
        peers.retain(|_, &mut (count, since)| decayed(decay, count, since, now) > 0);
    }

    /// Peers holding strikes (decayed or not yet forgotten).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.peers.len()
    }

    fn decayed(&self, count: u32, since: Instant, now: Instant) -> u32 {
        decayed(self.decay, count, since, now)
    }
}

fn decayed(decay: Duration, count: u32, since: Instant, now: Instant) -> u32 {
    let elapsed = now.saturating_duration_since(since);
    let forgiven = elapsed.as_nanos() / decay.as_nanos();
    count.saturating_sub(u32::try_from(forgiven).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strikes_ban_at_the_limit_and_decay_one_per_interval() {
        let decay = Duration::from_secs(60);
        let mut strikes = Strikes::new(3, decay);
        let peer = PeerId::random();
        let t0 = Instant::now();
        assert_eq!(
            strikes.strike(peer, t0),
            Strike {
                count: 1,
                ban: false
            }
        );
        assert_eq!(
            strikes.strike(peer, t0),
            Strike {
                count: 2,
                ban: false
            }
        );
        // One interval later one strike is forgiven: the third does not ban.
        let t1 = t0 + decay;
        assert_eq!(strikes.count(&peer, t1), 1);
        assert_eq!(
            strikes.strike(peer, t1),
            Strike {
                count: 2,
                ban: false
            }
        );
        // Striking faster than the decay bans; the count starts afresh.
        assert_eq!(
            strikes.strike(peer, t1 + decay / 2),
            Strike {
                count: 3,
                ban: true
            }
        );
        assert_eq!(strikes.count(&peer, t1 + decay / 2), 0);

        // An honest peer losing a race once per interval is never banned.
        let honest = PeerId::random();
        for i in 0..100u32 {
            assert!(!strikes.strike(honest, t0 + decay * i).ban, "strike {i}");
        }
        // All decayed: forgotten.
        strikes.forget_decayed(t0 + decay * 200);
        assert_eq!(strikes.len(), 0);
    }
}
