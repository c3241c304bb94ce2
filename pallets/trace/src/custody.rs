//! Effective custody: a packed code is where its outermost container is, held by whoever holds that container.
//! These helpers resolve a code through its container chain and answer the questions every rule asks.

use std::collections::BTreeMap;

use yima_codes::TraceCode;
use yima_frame::storage::{StorageDoubleMap, StorageMap};
use yima_frame::Moment;

use crate::types::{
    CodeState, CodeStatus, Custody, TemperatureRange, FLAG_EXCURSION, FLAG_RECALLED,
};
use crate::{Codes, Contents, Error, Lots, Products};

/// Most container levels followed (item → case → pallet → container → …); deeper chains cannot be built
/// because packing checks depth.
pub const MAX_NESTING: usize = 16;

/// The code's record and the chain of its containers, innermost first: `(code state, [(container, state) …])`.
pub fn chain(code: &TraceCode) -> Result<(CodeState, Vec<(TraceCode, CodeState)>), Error> {
    let state = Codes::get(code).ok_or(Error::UnknownCode)?;
    let mut ancestors = Vec::new();
    let mut next = state.parent;
    while let Some(parent) = next {
        let parent_state = Codes::get(&parent).ok_or(Error::UnknownCode)?;
        next = parent_state.parent;
        ancestors.push((parent, parent_state));
        if ancestors.len() > MAX_NESTING {
            break;
        }
    }
    Ok((state, ancestors))
}

/// What the lot of a code says about it at `now`: expired, recalled, disposed of.
#[derive(Clone, Copy, Default)]
struct LotFlags {
    expired: bool,
    recalled: bool,
    disposed: bool,
}

/// The flags of the lot of `state` at `now`.
fn lot_flags(state: &CodeState, now: Moment) -> LotFlags {
    match state.lot.as_ref().and_then(Lots::get) {
        Some(lot) => LotFlags {
            expired: lot.expiry <= now,
            recalled: lot.recalled.is_some(),
            disposed: lot.disposed.is_some(),
        },
        None => LotFlags::default(),
    }
}

/// The code's effective custody at time `now`.
pub fn custody(code: &TraceCode, now: Moment) -> Result<Custody, Error> {
    let (state, ancestors) = chain(code)?;
    Ok(resolve(code, &state, &ancestors, now))
}

/// Resolves custody from an already-read chain.
pub fn resolve(
    code: &TraceCode,
    state: &CodeState,
    ancestors: &[(TraceCode, CodeState)],
    now: Moment,
) -> Custody {
    let (root, root_state) = ancestors
        .last()
        .map(|(c, s)| (*c, s))
        .unwrap_or((*code, state));
    let lot = lot_flags(state, now);
    let expired = lot.expired;
    let flags = inherited_flags(state, ancestors);
    // A disposed lot's codes are destroyed wherever they are (the regulator's disposal is one write on the
    // lot, not one per code); a code finished before keeps its own end (sold stays sold).
    let status = if state.status.is_finished() {
        state.status
    } else if lot.disposed {
        CodeStatus::Destroyed
    } else if lot.recalled || flags & FLAG_RECALLED != 0 {
        CodeStatus::Recalled
    } else {
        root_state.status
    };
    let excursion = flags & FLAG_EXCURSION != 0;
    Custody {
        custodian: root_state.custodian,
        location: root_state.location.clone(),
        status,
        root,
        expired,
        excursion,
    }
}

/// The flags of the code and of every container it is in.
pub fn inherited_flags(state: &CodeState, ancestors: &[(TraceCode, CodeState)]) -> u8 {
    ancestors
        .iter()
        .fold(state.flags, |acc, (_, s)| acc | s.flags)
}

/// Refuses moving the container `code` while anything packed inside it, at any depth, may not move (recalled —
/// on its own, through a container between, or by its lot —, finished — on its own or by its disposed lot —
/// or expired at `now`): shipping or packing
/// a container moves its contents. Returns how many levels of contents it holds (0 when empty).
pub fn ensure_contents_movable(code: &TraceCode, now: Moment) -> Result<usize, Error> {
    let mut height = 0;
    let mut lots = BTreeMap::new();
    // (container, flags of the containers between `code` and it, its depth below `code`)
    let mut stack = vec![(*code, 0u8, 0usize)];
    while let Some((container, inherited, depth)) = stack.pop() {
        for (child, ()) in Contents::iter_prefix(&container) {
            let state = Codes::get(&child).ok_or(Error::UnknownCode)?;
            let flags = inherited | state.flags;
            let lot = *lots
                .entry(state.lot.clone())
                .or_insert_with(|| lot_flags(&state, now));
            if lot.disposed {
                return Err(Error::Finished);
            }
            if lot.recalled || flags & FLAG_RECALLED != 0 {
                return Err(Error::Recalled);
            }
            if state.status.is_finished() {
                return Err(Error::Finished);
            }
            if lot.expired {
                return Err(Error::Expired);
            }
            height = height.max(depth + 1);
            if state.children > 0 && depth < MAX_NESTING {
                stack.push((child, flags, depth + 1));
            }
        }
    }
    Ok(height)
}

/// Refuses a movement of `custody` by a code that is recalled, expired, finished or in transit.
pub fn ensure_movable(custody: &Custody) -> Result<(), Error> {
    match custody.status {
        CodeStatus::Recalled => Err(Error::Recalled),
        s if s.is_finished() => Err(Error::Finished),
        _ if custody.expired => Err(Error::Expired),
        CodeStatus::InTransit { .. } => Err(Error::InTransit),
        _ => Ok(()),
    }
}

/// The temperature band a code must stay in: its product's for an item, the intersection of its contents'
/// for a container.
pub fn band(state: &CodeState) -> Option<TemperatureRange> {
    if state.band.is_some() {
        return state.band;
    }
    state
        .lot
        .as_ref()
        .and_then(|lot| Products::get(&lot.product))
        .and_then(|p| p.temperature)
}
