//! One `yima-node` child process: its command line (started through `ip netns exec` when it runs in a network
//! namespace), its log files (one per run), `kill -9`, restart, and the CPU time it has used (from
//! `/proc/<pid>/stat`).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use super::binary::{node_binary, node_has_flag};
use super::spec::{NodeIdentity, Role};

/// Makes the child get SIGKILL when the thread that started it exits (Linux `PR_SET_PDEATHSIG`), so a test
/// process killed with `kill -9` — whose `Drop` never runs — leaves no node behind. Nodes are started from the
/// test's own thread or a runtime worker thread, both of which live as long as the Testnet.
fn die_with_parent(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    let parent = std::process::id() as libc::pid_t;
    // SAFETY: between fork and exec the closure calls only async-signal-safe functions (prctl, getppid, kill)
    // and allocates nothing.
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // The parent may have died before prctl: then nobody would send the signal.
            if libc::getppid() != parent {
                libc::kill(libc::getpid(), libc::SIGKILL);
            }
            Ok(())
        });
    }
}

/// Everything needed to (re)start one node.
#[derive(Clone, Debug)]
pub struct NodeConfig {
    /// Its identity and ports.
    pub identity: NodeIdentity,
    /// The chain spec file it runs.
    pub chain: PathBuf,
    /// Its base path.
    pub base_path: PathBuf,
    /// Extra `--bootnodes` (besides the spec's).
    pub bootnodes: Vec<String>,
    /// `--idle-block-secs`.
    pub idle_block_secs: u64,
    /// `RUST_LOG` for the node.
    pub log_filter: String,
    /// Further command-line arguments.
    pub extra_args: Vec<String>,
    /// Run it in this network namespace (`ip netns exec`, with `--rpc-external` so the test process reaches its
    /// RPC over the namespace's bridge); `None`: in the test's own, on 127.0.0.1.
    pub netns: Option<String>,
}

/// A node process, running or stopped. Dropping it kills the process (SIGKILL), so a failing test leaves none.
#[derive(Debug)]
pub struct NodeProcess {
    /// How it runs.
    pub config: NodeConfig,
    child: Option<Child>,
    runs: usize,
    logs: Vec<PathBuf>,
}

impl NodeProcess {
    /// A stopped node.
    pub fn new(config: NodeConfig) -> Self {
        Self {
            config,
            child: None,
            runs: 0,
            logs: Vec::new(),
        }
    }

    fn key_args(&self) -> anyhow::Result<Vec<String>> {
        let id = &self.config.identity;
        match id.role {
            Role::Validator => Ok(vec!["--validator-key".into(), format!("//{}", id.name)]),
            Role::FullNode if node_has_flag("--node-key") => {
                // A fixed network key, so its peer id can be on the allow-list.
                let file = self.config.base_path.join("node-key");
                std::fs::write(&file, format!("0x{}\n", hex::encode(id.secret)))?;
                Ok(vec!["--node-key".into(), file.display().to_string()])
            }
            // Without `--node-key` a full node gets a random network key.
            Role::FullNode => Ok(Vec::new()),
        }
    }

    /// Starts the process (a new log file per run: `<base>/node.run<N>.log`). Fails if it is running.
    pub fn start(&mut self) -> anyhow::Result<()> {
        anyhow::ensure!(self.child.is_none(), "node {} already runs", self.name());
        std::fs::create_dir_all(&self.config.base_path)?;
        self.runs += 1;
        let log_path = self
            .config
            .base_path
            .join(format!("node.run{}.log", self.runs));
        let log = File::create(&log_path)?;
        let c = &self.config;
        let id = &c.identity;
        let mut cmd = match &c.netns {
            Some(ns) => {
                // `ip netns exec` enters the namespace and execs the node: the child's pid is the node's.
                let mut cmd = Command::new("ip");
                cmd.args(["netns", "exec", ns]).arg(node_binary());
                cmd
            }
            None => Command::new(node_binary()),
        };
        cmd.arg("--chain")
            .arg(&c.chain)
            .arg("--base-path")
            .arg(&c.base_path)
            .args(self.key_args()?)
            .args(["--p2p-host", &id.host.to_string()])
            .args(["--p2p-port", &id.p2p_port.to_string()])
            .args(["--rpc-port", &id.rpc_port.to_string()])
            .args(["--prometheus-port", "0"])
            .args(["--idle-block-secs", &c.idle_block_secs.to_string()])
            .args(["--name", &id.name]);
        if !c.bootnodes.is_empty() {
            cmd.arg("--bootnodes").arg(c.bootnodes.join(","));
        }
        if c.netns.is_some() {
            cmd.arg("--rpc-external");
        }
        cmd.args(&c.extra_args);
        die_with_parent(&mut cmd);
        let child = cmd
            .env("RUST_LOG", &c.log_filter)
            .env_remove("RUST_LOG_STYLE")
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .map_err(|e| match &c.netns {
                Some(ns) => anyhow::anyhow!(
                    "cannot start {} in namespace {ns} (`ip netns exec`; is iproute2 installed?): {e}",
                    node_binary().display()
                ),
                None => anyhow::anyhow!("cannot start {}: {e}", node_binary().display()),
            })?;
        self.child = Some(child);
        self.logs.push(log_path);
        Ok(())
    }

    /// `kill -9`: SIGKILL, then reap. No-op when stopped.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// SIGTERM and wait for a clean exit (the node flushes its store).
    pub fn terminate(&mut self) -> anyhow::Result<()> {
        if let Some(mut child) = self.child.take() {
            let status = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status()?;
            anyhow::ensure!(status.success(), "kill -TERM {} failed", child.id());
            child.wait()?;
        }
        Ok(())
    }

    /// Whether the process runs; an exit is reported as an error with its status.
    pub fn check_alive(&mut self) -> anyhow::Result<()> {
        match self.child.as_mut() {
            None => anyhow::bail!("node {} is stopped", self.name()),
            Some(child) => match child.try_wait()? {
                None => Ok(()),
                Some(status) => {
                    self.child = None;
                    anyhow::bail!("node {} exited with {status}", self.name())
                }
            },
        }
    }

    /// Whether a process is attached (it may have exited since).
    pub fn is_started(&self) -> bool {
        self.child.is_some()
    }

    /// The process id, when running.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The node's dev key name.
    pub fn name(&self) -> &str {
        &self.config.identity.name
    }

    /// The log files of every run, oldest first.
    pub fn logs(&self) -> &[PathBuf] {
        &self.logs
    }

    /// The last `lines` lines of every run's log, headed by the file name.
    pub fn log_tail(&self, lines: usize) -> String {
        let mut out = String::new();
        for path in &self.logs {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let all: Vec<&str> = text.lines().collect();
            let from = all.len().saturating_sub(lines);
            out.push_str(&format!(
                "---- {} ({} of {} lines) ----\n",
                path.display(),
                all.len() - from,
                all.len()
            ));
            for line in &all[from..] {
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    }

    /// User + system CPU seconds the running process has used so far.
    pub fn cpu_seconds(&self) -> Option<f64> {
        self.pid().and_then(cpu_seconds_of)
    }
}

impl Drop for NodeProcess {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// Clock ticks per second of `/proc/<pid>/stat` times (Linux's `USER_HZ`, 100 on every mainstream architecture).
const USER_HZ: f64 = 100.0;

/// `utime + stime` of process `pid`, in seconds, from `/proc/<pid>/stat`.
pub fn cpu_seconds_of(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / USER_HZ)
}

/// Total size in bytes of the files under `path` (what `du --apparent-size` counts).
pub fn dir_bytes(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}
