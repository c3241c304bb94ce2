//! [`Netns`]: one Linux network namespace per Testnet node, joined by veth pairs to a bridge in the root
//! namespace, so a test can cut the network between nodes for real (issue 14's partitions).
//!
//! Layout, unique per Testnet (the test process id, in hex, and a counter are in every name, so tests and test
//! processes run side by side): namespace `yima-<pid>-<k>-<i>` per node, with `lo` up and `eth0` at
//! `10.<a>.<b>.<i+1>/24`; the other end of `eth0`, `yv<pid>x<k>n<i>`, is a port of the bridge `yb<pid>x<k>`,
//! which holds `10.<a>.<b>.254/24` so the test process reaches every node's RPC over it. `<a>.<b>` is a /24 no
//! address or route of the machine overlaps. Everything is made with iproute2's `ip` and removed in `Drop` (also
//! when the test panics); leftovers of a test process that was killed are removed by the next one.
//!
//! Two ways to cut, both real network faults that the nodes see only through their sockets:
//!
//! - [`Netns::cut`] / [`Netns::split`]: each side's ARP entry for the other becomes a permanent entry with a
//!   hardware address no port has ([`BLACK_HOLE_MAC`]). Frames still leave the node and cross the bridge, which
//!   floods them to ports whose kernels discard them (not addressed to them): a new connection's SYN goes
//!   unanswered and its `connect` times out, an established TCP connection's segments are lost and it stalls and
//!   retransmits with back-off — what a partition does. A `blackhole` route was not used: the kernel refuses a
//!   local send to a blackhole route at once (`connect` fails with EINVAL), which a real partition never does and
//!   which would spare the nodes the slow failures a real one inflicts. Traffic between the test process and
//!   each node is untouched (only node-to-node neighbour entries change), so heads can be read during a split.
//! - [`Netns::link_down`] / [`Netns::link_up`]: the bridge end of a node's veth goes down — the cable is pulled.
//!   The node's `eth0` loses its carrier and every frame it sends is dropped, its RPC included.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

/// The hardware address [`Netns::cut`] gives a cut-off peer: locally administered, on no port.
pub const BLACK_HOLE_MAC: &str = "02:00:00:de:ad:01";

/// Why the network namespaces could not be made or changed.
#[derive(Debug, thiserror::Error)]
pub enum NetnsError {
    /// `ip` does not run.
    #[error(
        "cannot run iproute2's `ip` ({0}): the partition tests make network namespaces with it; install iproute2"
    )]
    NoIp(std::io::Error),
    /// The first namespace could not be made: no privilege (or no kernel support).
    #[error(
        "network namespaces are not available: `{command}` failed: {stderr}. The partition tests need root \
         (CAP_SYS_ADMIN and CAP_NET_ADMIN, e.g. a privileged container) and a kernel with network namespaces, \
         veth and bridge support"
    )]
    Unavailable {
        /// The command that failed.
        command: String,
        /// What it printed.
        stderr: String,
    },
    /// A later `ip` command failed.
    #[error("`{command}` failed: {stderr}")]
    Command {
        /// The command that failed.
        command: String,
        /// What it printed.
        stderr: String,
    },
    /// Every candidate 10.x.y.0/24 overlaps an address or route of the machine.
    #[error(
        "no free 10.x.y.0/24 for the test network: remove stale test networks (`ip netns list`, `ip link show \
         type bridge`: `yima-*` namespaces and `yb*` bridges) or free some of 10.0.0.0/8"
    )]
    NoSubnet,
    /// A node index or group out of range.
    #[error("{0}")]
    Usage(String),
}

/// Counter distinguishing the Testnets of one process.
static NEXT: AtomicU32 = AtomicU32::new(0);

/// One node's namespace and the bridge end of its veth.
#[derive(Debug)]
struct Member {
    ns: String,
    veth: String,
}

/// One namespace per node on a bridge; see the module docs. Dropping it removes them.
#[derive(Debug)]
pub struct Netns {
    bridge: Option<String>,
    subnet: [u8; 2],
    members: Vec<Member>,
    /// Pairs currently cut by [`Netns::cut`] (smaller index first).
    cut: Mutex<BTreeSet<(usize, usize)>>,
}

/// Runs `ip args…`; its stderr in the error.
fn ip(args: &[&str]) -> Result<String, NetnsError> {
    let out = Command::new("ip")
        .args(args)
        .output()
        .map_err(NetnsError::NoIp)?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(NetnsError::Command {
            command: format!("ip {}", args.join(" ")),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        })
    }
}

/// Whether the process whose id is `hex` (as in the names) lives; `None` when `hex` is not one of ours.
fn alive(hex: &str) -> Option<bool> {
    let pid = u32::from_str_radix(hex, 16).ok()?;
    Some(std::path::Path::new("/proc").join(pid.to_string()).exists())
}

/// Removes the namespaces and bridges of test processes that died without dropping their [`Netns`].
fn remove_leftovers() {
    if let Ok(list) = ip(&["netns", "list"]) {
        for name in list.lines().filter_map(|l| l.split_whitespace().next()) {
            if let Some(pid) = name.strip_prefix("yima-").and_then(|r| r.split('-').next()) {
                if alive(pid) == Some(false) {
                    let _ = ip(&["netns", "del", name]);
                }
            }
        }
    }
    if let Ok(list) = ip(&["-o", "link", "show", "type", "bridge"]) {
        for name in list.lines().filter_map(|l| l.split(": ").nth(1)) {
            if let Some(pid) = name.strip_prefix("yb").and_then(|r| r.split('x').next()) {
                if alive(pid) == Some(false) {
                    let _ = ip(&["link", "del", name]);
                }
            }
        }
    }
}

/// `(network, prefix length)` of `a.b.c.d/len` (a bare address is a /32).
fn parse_prefix(s: &str) -> Option<(u32, u32)> {
    let (addr, len) = match s.split_once('/') {
        Some((a, l)) => (a, l.parse().ok()?),
        None => (s, 32),
    };
    let addr: Ipv4Addr = addr.parse().ok()?;
    (len <= 32).then_some((u32::from(addr), len))
}

/// Whether two prefixes share an address.
fn overlaps((a, alen): (u32, u32), (b, blen): (u32, u32)) -> bool {
    let len = alen.min(blen);
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    a & mask == b & mask
}

/// A 10.x.y.0/24 that no address or (non-default) route of the root namespace overlaps, starting from a
/// candidate derived from the process id and `k`.
fn free_subnet(k: u32) -> Result<[u8; 2], NetnsError> {
    let mut taken = Vec::new();
    for line in ip(&["-4", "-o", "addr", "show"])?.lines() {
        if let Some(p) = line
            .split_whitespace()
            .skip_while(|w| *w != "inet")
            .nth(1)
            .and_then(parse_prefix)
        {
            taken.push(p);
        }
    }
    for line in ip(&["-4", "route", "show", "table", "all"])?.lines() {
        let mut words = line.split_whitespace();
        let first = match words.next() {
            Some("broadcast" | "local" | "unicast" | "multicast" | "blackhole" | "unreachable") => {
                words.next()
            }
            other => other,
        };
        if let Some(p) = first.and_then(parse_prefix) {
            taken.push(p);
        }
    }
    let seed = std::process::id()
        .wrapping_mul(7919)
        .wrapping_add(k * 104_729);
    (0..4096u32)
        .map(|n| {
            let v = seed.wrapping_add(n.wrapping_mul(40_503)) % (235 * 256);
            [20 + (v / 256) as u8, (v % 256) as u8]
        })
        .find(|[a, b]| {
            let net = (u32::from(Ipv4Addr::new(10, *a, *b, 0)), 24);
            !taken.iter().any(|&t| overlaps(t, net))
        })
        .ok_or(NetnsError::NoSubnet)
}

impl Netns {
    /// `nodes` namespaces (at most 100) on a new bridge. Fails with [`NetnsError::Unavailable`] when this process
    /// may not make namespaces.
    pub fn create(nodes: usize) -> Result<Self, NetnsError> {
        if !(1..=100).contains(&nodes) {
            return Err(NetnsError::Usage(format!(
                "{nodes} nodes: a test network has 1 to 100"
            )));
        }
        remove_leftovers();
        let pid = std::process::id();
        let k = NEXT.fetch_add(1, Ordering::Relaxed) % 100;
        let mut net = Self {
            bridge: None,
            subnet: free_subnet(k)?,
            members: Vec::new(),
            cut: Mutex::new(BTreeSet::new()),
        };
        // The first namespace tells whether we may make them at all.
        let first = format!("yima-{pid:x}-{k}-0");
        ip(&["netns", "add", &first]).map_err(|e| match e {
            NetnsError::Command { command, stderr } => NetnsError::Unavailable { command, stderr },
            other => other,
        })?;
        net.members.push(Member {
            ns: first,
            veth: format!("yv{pid:x}x{k}n0"),
        });
        let bridge = format!("yb{pid:x}x{k}");
        ip(&["link", "add", &bridge, "type", "bridge"])?;
        net.bridge = Some(bridge.clone());
        let host = format!("{}/24", net.host_ip());
        ip(&["addr", "add", &host, "dev", &bridge])?;
        ip(&["link", "set", &bridge, "up"])?;
        for i in 0..nodes {
            if i > 0 {
                let ns = format!("yima-{pid:x}-{k}-{i}");
                ip(&["netns", "add", &ns])?;
                net.members.push(Member {
                    ns,
                    veth: format!("yv{pid:x}x{k}n{i}"),
                });
            }
            let Member { ns, veth } = &net.members[i];
            ip(&[
                "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns,
            ])?;
            ip(&["link", "set", veth, "master", &bridge, "up"])?;
            let addr = format!("{}/24", net.ip(i));
            ip(&["-n", ns, "addr", "add", &addr, "dev", "eth0"])?;
            ip(&["-n", ns, "link", "set", "eth0", "up"])?;
            ip(&["-n", ns, "link", "set", "lo", "up"])?;
        }
        Ok(net)
    }

    /// How many nodes.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether there are none (never, once created).
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Node `i`'s namespace (`ip netns exec <it> …`).
    pub fn namespace(&self, i: usize) -> &str {
        &self.members[i].ns
    }

    /// Node `i`'s address.
    pub fn ip(&self, i: usize) -> Ipv4Addr {
        let [a, b] = self.subnet;
        Ipv4Addr::new(10, a, b, i as u8 + 1)
    }

    /// The root namespace's address on the bridge (the test process reaches the nodes from it).
    pub fn host_ip(&self) -> Ipv4Addr {
        let [a, b] = self.subnet;
        Ipv4Addr::new(10, a, b, 254)
    }

    fn check(&self, i: usize) -> Result<(), NetnsError> {
        if i < self.len() {
            Ok(())
        } else {
            Err(NetnsError::Usage(format!(
                "node {i}: the network has {} nodes",
                self.len()
            )))
        }
    }

    /// Cuts nodes `a` and `b` apart (both directions): frames between them are lost from now on.
    pub fn cut(&self, a: usize, b: usize) -> Result<(), NetnsError> {
        self.check(a)?;
        self.check(b)?;
        for (from, to) in [(a, b), (b, a)] {
            let peer = self.ip(to).to_string();
            ip(&[
                "-n",
                self.namespace(from),
                "neigh",
                "replace",
                &peer,
                "lladdr",
                BLACK_HOLE_MAC,
                "nud",
                "permanent",
                "dev",
                "eth0",
            ])?;
        }
        self.cut
            .lock()
            .expect("not poisoned")
            .insert((a.min(b), a.max(b)));
        Ok(())
    }

    /// Cuts every node of each group from every node of the other groups (links within a group stay).
    pub fn split(&self, groups: &[&[usize]]) -> Result<(), NetnsError> {
        for (g, group) in groups.iter().enumerate() {
            for other in &groups[g + 1..] {
                for &a in *group {
                    for &b in *other {
                        if a == b {
                            return Err(NetnsError::Usage(format!(
                                "node {a} is in two groups of the split"
                            )));
                        }
                        self.cut(a, b)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Mends every cut pair: the neighbour entries go, ARP resolves the real addresses again.
    pub fn heal(&self) -> Result<(), NetnsError> {
        let pairs = std::mem::take(&mut *self.cut.lock().expect("not poisoned"));
        for (a, b) in pairs {
            for (from, to) in [(a, b), (b, a)] {
                let peer = self.ip(to).to_string();
                ip(&[
                    "-n",
                    self.namespace(from),
                    "neigh",
                    "del",
                    &peer,
                    "dev",
                    "eth0",
                ])?;
            }
        }
        Ok(())
    }

    /// Pulls node `i`'s cable: the bridge end of its veth goes down.
    pub fn link_down(&self, i: usize) -> Result<(), NetnsError> {
        self.check(i)?;
        ip(&["link", "set", &self.members[i].veth, "down"]).map(drop)
    }

    /// Plugs it back in.
    pub fn link_up(&self, i: usize) -> Result<(), NetnsError> {
        self.check(i)?;
        ip(&["link", "set", &self.members[i].veth, "up"]).map(drop)
    }
}

impl Drop for Netns {
    /// Removes the namespaces (their `eth0`, hence the veth pairs, go with them) and the bridge. Run it after the
    /// nodes are killed: a namespace lives on while a process is in it.
    fn drop(&mut self) {
        for m in &self.members {
            let _ = ip(&["link", "del", &m.veth]);
            if let Err(e) = ip(&["netns", "del", &m.ns]) {
                eprintln!("test network: {e}");
            }
        }
        if let Some(bridge) = &self.bridge {
            if let Err(e) = ip(&["link", "del", bridge]) {
                eprintln!("test network: {e}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_overlap_under_the_shorter_mask() {
        let net = parse_prefix("10.20.30.0/24").expect("parses");
        assert!(overlaps(parse_prefix("10.0.0.0/8").expect("parses"), net));
        assert!(overlaps(parse_prefix("10.20.30.7").expect("parses"), net));
        assert!(!overlaps(
            parse_prefix("10.20.31.0/24").expect("parses"),
            net
        ));
        assert!(!overlaps(
            parse_prefix("192.0.2.0/24").expect("parses"),
            net
        ));
        assert_eq!(parse_prefix("default"), None);
    }
}
