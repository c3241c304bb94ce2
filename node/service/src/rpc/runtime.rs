//! The RPC and web server's own tokio runtime: its worker and blocking threads run at a lower scheduling
//! priority ([`READER_NICE`]) than consensus, block execution and gossip, so a flood of callers takes the CPU
//! only when consensus does not need it. With [`super::readers::Readers`] bounding how many store reads run at
//! once, this keeps a node's consensus on time whatever its RPC port is asked.

/// How much lower (Linux `nice`) the RPC runtime's threads run than the rest of the node.
pub const READER_NICE: i32 = 10;

/// Worker threads of the RPC runtime.
const WORKERS: usize = 2;

/// The RPC runtime. Dropping it shuts it down in the background (allowed inside the node's async code, where
/// dropping a runtime outright would panic).
#[derive(Debug)]
pub struct RpcRuntime(Option<tokio::runtime::Runtime>);

impl RpcRuntime {
    /// A multi-threaded runtime whose threads (workers and blocking pool alike) lower their own priority by
    /// [`READER_NICE`] as they start.
    pub fn new() -> std::io::Result<Self> {
        build().map(|r| Self(Some(r)))
    }

    /// Where to spawn the server.
    pub fn handle(&self) -> &tokio::runtime::Handle {
        self.0.as_ref().expect("present until dropped").handle()
    }
}

impl Drop for RpcRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

fn build() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKERS)
        .thread_name("yima-rpc")
        .on_thread_start(lower_priority)
        .enable_all()
        .build()
}

/// Lowers the calling thread's priority (Linux keeps a nice value per thread). Failure only costs priority, so
/// it is logged, not fatal.
fn lower_priority() {
    // SAFETY: plain system calls on the calling thread's own id.
    let done = unsafe {
        let tid = libc::gettid();
        let now = libc::getpriority(libc::PRIO_PROCESS, tid as libc::id_t);
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, now + READER_NICE)
    };
    if done != 0 {
        tracing::debug!(error = %std::io::Error::last_os_error(), "could not lower an RPC thread's priority");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_rpc_runtime_threads_run_at_a_lower_priority() {
        // SAFETY: reading the calling thread's own priority.
        let own = unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) };
        let runtime = super::build().unwrap();
        let theirs = runtime.block_on(async {
            tokio::task::spawn_blocking(|| unsafe {
                libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t)
            })
            .await
            .unwrap()
        });
        assert_eq!(theirs, (own + super::READER_NICE).min(19));
    }
}
