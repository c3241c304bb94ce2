//! Current custody for recall: who holds each code now, read from chain state.

use std::rc::Rc;
use std::sync::{Arc, Mutex};

use parity_scale_codec::{Decode, Encode};
use yima_codes::TraceCode;
use yima_frame::externalities::{self as ext, Externalities};
use yima_frame::state::{KeyValues, StateBackend, StateChanges, StateError, StateUpdate};
use yima_frame::storage::StorageMap;
use yima_frame::Hash;
use yima_trace::custody::{resolve, MAX_NESTING};
use yima_trace::types::{CodeState, Custody, LotKey};

use super::hash::FxHashMap;
use super::holds::{lot_holds, LotHold};
use crate::System;

/// A code's current custody and its lot.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CodeCustody {
    /// Holder, status, root container, location, expiry and excursion, resolved through its containers as the
    /// custody rules do ([`yima_trace::custody::custody`]).
    pub custody: Custody,
    /// Its lot (`None` for logistic units).
    pub lot: Option<LotKey>,
}

/// Where recall reads current custody from. Asked for a whole batch at once, so an implementation can read
/// state once per container and lot, not once per code.
pub trait CustodyView {
    /// The custody of each of `codes`, in the same order; `None` for a code state does not know.
    fn custody_of(&self, codes: &[TraceCode]) -> Vec<Option<CodeCustody>>;

    /// The holds of each of `lots` and where they stand ([`super::lot_holds`]), in the same order. A view
    /// without hold records answers none.
    fn holds_of(&self, lots: &[LotKey]) -> Vec<Vec<LotHold>> {
        vec![Vec::new(); lots.len()]
    }
}

impl<T: CustodyView + ?Sized> CustodyView for &T {
    fn custody_of(&self, codes: &[TraceCode]) -> Vec<Option<CodeCustody>> {
        (**self).custody_of(codes)
    }

    fn holds_of(&self, lots: &[LotKey]) -> Vec<Vec<LotHold>> {
        (**self).holds_of(lots)
    }
}

/// Custody read from chain state (the latest committed version of `backend`), at the time of its latest block
/// (`System::now`): the trace pallet's own resolution ([`yima_trace::custody::resolve`]) run for the whole batch
/// inside one set of externalities, with each container chain and each lot read once per call.
#[derive(Clone)]
pub struct StateCustody {
    backend: Arc<dyn StateBackend>,
}

impl StateCustody {
    /// Custody over `backend`.
    pub fn new(backend: Arc<dyn StateBackend>) -> Self {
        Self { backend }
    }
}

type Chain = Option<Rc<[(TraceCode, CodeState)]>>;

impl CustodyView for StateCustody {
    fn holds_of(&self, lots: &[LotKey]) -> Vec<Vec<LotHold>> {
        Externalities::new(self.backend.clone())
            .execute_with(|| lots.iter().map(lot_holds).collect())
    }

    fn custody_of(&self, codes: &[TraceCode]) -> Vec<Option<CodeCustody>> {
        let backend: Arc<dyn StateBackend> = Arc::new(LotCache::new(self.backend.clone()));
        let mut ext = Externalities::new(backend);
        ext.execute_with(|| {
            let now = System::now();
            // Container → its chain (itself first, then its containers); `None` when a link is missing.
            let mut chains: FxHashMap<TraceCode, Chain> = FxHashMap::default();
            // Read in storage-key order: neighbouring keys share the backend's pages and tree nodes (a lot's
            // codes are neighbours). The keys are built into one buffer, not one allocation each.
            let mut keys: Vec<u8> = Vec::with_capacity(codes.len() * 48);
            let mut order: Vec<(std::ops::Range<usize>, usize)> = Vec::with_capacity(codes.len());
            for (i, code) in codes.iter().enumerate() {
                let start = keys.len();
                keys.extend_from_slice(yima_trace::Codes::PREFIX);
                code.encode_to(&mut keys);
                debug_assert_eq!(keys[start..], yima_trace::Codes::storage_key(code)[..]);
                order.push((start..keys.len(), i));
            }
            order.sort_unstable_by(|a, b| keys[a.0.clone()].cmp(&keys[b.0.clone()]));
            let mut out = vec![None; codes.len()];
            for (range, i) in order {
                let key = &keys[range];
                let code = &codes[i];
                let Some(state) = ext::get(key).map(|bytes| decode_state(key, &bytes)) else {
                    continue;
                };
                let ancestors = match &state.parent {
                    None => None,
                    Some(parent) => match chain_of(&mut chains, parent) {
                        Some(chain) => Some(chain),
                        None => continue,
                    },
                };
                let custody = resolve(code, &state, ancestors.as_deref().unwrap_or(&[]), now);
                out[i] = Some(CodeCustody {
                    custody,
                    lot: state.lot,
                });
            }
            out
        })
    }
}

/// A stored code record; one that does not decode was written by incompatible code (as `yima_frame::storage`
/// says, a broken node, not bad input).
fn decode_state(key: &[u8], bytes: &[u8]) -> CodeState {
    CodeState::decode(&mut &bytes[..]).unwrap_or_else(|e| {
        panic!(
            "code record under key 0x{} does not decode ({e}): state written by incompatible code",
            to_hex(key)
        )
    })
}

fn to_hex(key: &[u8]) -> String {
    key.iter().map(|b| format!("{b:02x}")).collect()
}

/// The chain of `container` (itself, then its containers outwards), read once per call. Mirrors
/// [`yima_trace::custody::chain`], which stops after [`MAX_NESTING`] + 1 containers.
fn chain_of(chains: &mut FxHashMap<TraceCode, Chain>, container: &TraceCode) -> Chain {
    if let Some(known) = chains.get(container) {
        return known.clone();
    }
    let mut links = Vec::new();
    let mut next = Some(*container);
    let mut complete = true;
    while let Some(code) = next {
        if let Some(Some(rest)) = chains.get(&code) {
            let room = (MAX_NESTING + 1).saturating_sub(links.len());
            links.extend(rest.iter().take(room).cloned());
            break;
        }
        let Some(state) = yima_trace::Codes::get(&code) else {
            complete = false;
            break;
        };
        next = state.parent;
        links.push((code, state));
        if links.len() > MAX_NESTING {
            break;
        }
    }
    let chain: Chain = complete.then(|| Rc::from(links));
    chains.insert(*container, chain.clone());
    chain
}

/// Reads through to the state, remembering lot records (every code of a lot resolves the same one).
struct LotCache {
    inner: Arc<dyn StateBackend>,
    lots: Mutex<FxHashMap<Vec<u8>, Option<Vec<u8>>>>,
}

impl LotCache {
    fn new(inner: Arc<dyn StateBackend>) -> Self {
        Self {
            inner,
            lots: Mutex::default(),
        }
    }
}

impl StateBackend for LotCache {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StateError> {
        if !key.starts_with(yima_trace::Lots::PREFIX) {
            return self.inner.get(key);
        }
        let mut lots = self.lots.lock().expect("lot cache lock");
        if let Some(value) = lots.get(key) {
            return Ok(value.clone());
        }
        let value = self.inner.get(key)?;
        lots.insert(key.to_vec(), value.clone());
        Ok(value)
    }

    fn scan_prefix(&self, prefix: &[u8]) -> Result<KeyValues, StateError> {
        self.inner.scan_prefix(prefix)
    }

    fn version(&self) -> Option<u64> {
        self.inner.version()
    }

    fn root(&self) -> Hash {
        self.inner.root()
    }

    fn prepare(&self, version: u64, changes: StateChanges) -> Result<StateUpdate, StateError> {
        self.inner.prepare(version, changes)
    }
}
