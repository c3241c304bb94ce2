//! Recall (一键排查): from a lot or a code, every code downstream and who holds it now.

use std::collections::{BTreeMap, BTreeSet};

use yima_codes::TraceCode;
use yima_frame::OrgId;
use yima_trace::epcis::{Action, EventBody, Location};
use yima_trace::types::{CodeStatus, LotKey};

use super::custody::CustodyView;
use super::hash::FxHashSet;
use super::holds::LotHold;
use super::index::{EventIndex, Role};
use super::QueryError;

/// What to recall.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum RecallTarget {
    /// Every code commissioned in the lot, and everything made from them.
    Lot(LotKey),
    /// The code, everything ever packed inside it, and everything made from them.
    Code(TraceCode),
}

/// One code to recall and where it is now.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RecallRow {
    /// The code.
    pub code: TraceCode,
    /// Its lot (`None` for logistic units).
    pub lot: Option<LotKey>,
    /// Who holds it (the custodian of its outermost container; the shipper while in transit).
    pub holder: OrgId,
    /// Its effective status (in transit, sold, recalled …).
    pub status: CodeStatus,
    /// The outermost container it is in (itself when not packed).
    pub root: TraceCode,
    /// Where it is, if known.
    pub location: Option<Location>,
    /// Whether its lot has expired.
    pub expired: bool,
    /// Whether it or a container it is in saw a temperature excursion.
    pub excursion: bool,
}

/// The answer to a recall.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Recall {
    /// What was recalled.
    pub target: RecallTarget,
    /// Every downstream code, sorted by code.
    pub rows: Vec<RecallRow>,
    /// How many of the codes each organisation holds.
    pub holders: BTreeMap<OrgId, u32>,
    /// The holds of the recalled lot and of every lot of a listed code that has one, and where each stands:
    /// held, released or disposed by a regulator (闭环). Lots without a hold record are absent.
    pub lots: BTreeMap<LotKey, Vec<LotHold>>,
}

/// Every code downstream of `target` with its current custody:
///
/// - a lot: its codes ([`EventIndex::codes_of_lot`]); a code: itself;
/// - then, recursively, every code packed into one of them (ever) and every transformation output made from
///   one of them;
/// - each with its custody from `custody`, rows sorted by code, plus how many each holder has;
/// - the holds of the target lot and of the listed codes' lots ([`CustodyView::holds_of`]).
///
/// [`QueryError::UnknownLot`] / [`QueryError::UnknownCode`] when the index has nothing for the target;
/// [`QueryError::NotInState`] when the index names a code that state does not know (an index ahead of or
/// behind its state).
pub fn recall<I, C>(index: &I, custody: &C, target: RecallTarget) -> Result<Recall, QueryError>
where
    I: EventIndex + ?Sized,
    C: CustodyView + ?Sized,
{
    let mut codes: Vec<TraceCode> = match &target {
        RecallTarget::Lot(lot) => {
            let codes = index.codes_of_lot(lot);
            if codes.is_empty() {
                return Err(QueryError::UnknownLot(lot.clone()));
            }
            codes.into_owned()
        }
        RecallTarget::Code(code) => {
            if index.events_of_code(code).is_empty() {
                return Err(QueryError::UnknownCode(*code));
            }
            vec![*code]
        }
    };

    // Built on the first edge found: a lot whose codes lead nowhere (the common case) never hashes them.
    let mut seen: Option<FxHashSet<TraceCode>> = None;
    let mut next = 0;
    while next < codes.len() {
        let code = codes[next];
        next += 1;
        for entry in index.events_of_code(&code).iter() {
            // Only a container's packing and a transformation's inputs lead downstream.
            if !matches!(entry.role, Role::Parent | Role::Input) {
                continue;
            }
            let at = entry.at();
            let event = index.event(at).ok_or(QueryError::MissingEvent(at))?;
            let found: &[TraceCode] = match &event.event.body {
                EventBody::Aggregation {
                    action: Action::Add,
                    parent,
                    children,
                } if *parent == code => children,
                EventBody::Transformation { inputs, outputs } if inputs.contains(&code) => outputs,
                _ => continue,
            };
            let seen = seen.get_or_insert_with(|| codes.iter().copied().collect());
            for c in found {
                if seen.insert(*c) {
                    codes.push(*c);
                }
            }
        }
    }

    codes.sort_unstable();
    let custodies = custody.custody_of(&codes);
    let mut rows = Vec::with_capacity(codes.len());
    let mut holders = BTreeMap::new();
    for (code, found) in codes.into_iter().zip(custodies) {
        let found = found.ok_or(QueryError::NotInState(code))?;
        let c = found.custody;
        *holders.entry(c.custodian).or_insert(0) += 1;
        rows.push(RecallRow {
            code,
            lot: found.lot,
            holder: c.custodian,
            status: c.status,
            root: c.root,
            location: c.location,
            expired: c.expired,
            excursion: c.excursion,
        });
    }
    // Rows are sorted by code, so a lot's codes are mostly neighbours: one clone per run, not per code.
    let mut lot_set: BTreeSet<LotKey> = BTreeSet::new();
    let mut last: Option<&LotKey> = None;
    for lot in rows.iter().filter_map(|r| r.lot.as_ref()) {
        if last != Some(lot) {
            lot_set.insert(lot.clone());
            last = Some(lot);
        }
    }
    if let RecallTarget::Lot(lot) = &target {
        lot_set.insert(lot.clone());
    }
    let lot_keys: Vec<LotKey> = lot_set.into_iter().collect();
    let holds = custody.holds_of(&lot_keys);
    let lots = lot_keys
        .into_iter()
        .zip(holds)
        .filter(|(_, h)| !h.is_empty())
        .collect();
    Ok(Recall {
        target,
        rows,
        holders,
        lots,
    })
}
