//! What the scan page shows, read from one store snapshot: the trace (一码统管), custody now, product and lot,
//! organisation names from membership state, the code's and its lot's attestations, the alerts among the
//! newest [`ALERT_BLOCKS`] hops' blocks that name one of its codes, the proof of every hop of the page shown
//! checked with the shared verifier ([`super::verify`]), and the whole trace checked against the history
//! summaries state commits for every code it rests on (`yima_runtime::query::complete`). The HTML ([`super::scan_page`]) and JSON views both render a [`ScanView`].

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::Serialize;
use yima_attestation::types::{Attestation, LotRef, Subject};
use yima_codes::TraceCode;
use yima_frame::externalities::Externalities;
use yima_frame::state::StateBackend;
use yima_frame::storage::{StorageDoubleMap, StorageMap};
use yima_frame::{Moment, OrgId};
use yima_runtime::query::{
    self, lot_holds, CodeCustody, CustodyView, HoldState, QueryError, Trace,
};
use yima_trace::types::{CodeStatus, Lot, LotKey, Product, TemperatureRange};

use crate::host::NodeHost;
use crate::rpc::alerts::{block_alerts, AlertJson};
use crate::rpc::page::Page;
use crate::rpc::trace_json::TraceJson;

/// Hops per page of a long history (HTML).
pub const PAGE_SIZE: usize = 100;

/// The alerts shown are those of the newest this many blocks of the trace's hops (a bound on a page's reads).
pub const ALERT_BLOCKS: usize = 100;

/// Why a scan has no page.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// The code is valid but no event names it.
    #[error("code {0} is not on this chain: no custody event names it (check the code, or wait for the block that commissions it)")]
    NotOnChain(String),
    /// The node failed (store, decoding).
    #[error("the node could not read its store: {0} (see the node's log)")]
    Node(String),
}

/// The one-line status at the top of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Nothing wrong (green).
    Normal,
    /// An alert or an excursion (amber).
    Alert,
    /// Recalled: the code or its lot (red).
    Recalled,
    /// Expired (red).
    Expired,
}

/// A hold on the code's lot (cold chain's positive test, food's failed test) and where it stands (闭环): held (an
/// alert), released by a regulator on a retest, or disposed of by a regulator (every code of the lot destroyed).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HoldView {
    /// `positive_test` or `failed_test`.
    pub kind: &'static str,
    /// `held`, `released` or `disposed`.
    pub state: &'static str,
    /// Who reported the test (held) or who decided (released, disposed).
    pub by: String,
    /// The block of the test (held) or of the decision.
    pub at: u64,
    /// Whether the lot stands recalled for it (held only).
    pub recalled: bool,
    /// The digest the decision cites: the decision document (released) or the disposal attestation (disposed).
    pub decision: Option<String>,
}

impl HoldView {
    /// Whether the lot is still held or was disposed of (a released hold is history, not an alert).
    pub fn is_open(&self) -> bool {
        self.state != "released"
    }
}

/// A certificate about the code or its lot.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateView {
    /// Attestation id.
    pub id: String,
    /// Schema name.
    pub schema: String,
    /// Issuing organisation's name.
    pub issuer: String,
    /// Valid from, ms UTC.
    pub valid_from: Moment,
    /// Valid until, ms UTC (exclusive); `None`: until revoked.
    pub valid_until: Option<Moment>,
    /// Revoked.
    pub revoked: bool,
    /// Valid at the chain's time.
    pub valid_now: bool,
}

/// Everything the scan page shows.
#[derive(Clone, Debug)]
pub struct ScanView {
    /// The trace.
    pub trace: Trace,
    /// Custody now.
    pub current: Option<CodeCustody>,
    /// The height read at.
    pub height: u64,
    /// The latest block's time (the chain's "now").
    pub now: Moment,
    /// Product name, if registered.
    pub product: Option<Product>,
    /// The lot, if any.
    pub lot: Option<(LotKey, Option<Lot>)>,
    /// Organisation names by id.
    pub orgs: BTreeMap<OrgId, String>,
    /// Alerts naming one of the trace's codes, newest first.
    pub alerts: Vec<AlertJson>,
    /// Certificates of the code and its lot.
    pub certificates: Vec<CertificateView>,
    /// Holds on its lot.
    pub holds: Vec<HoldView>,
    /// The page of hops shown (and verified).
    pub page: Page,
    /// Every shown hop's proof verified (`Err` names the first that failed).
    pub verified: Result<(), String>,
}

impl ScanView {
    /// The status line's colour and words.
    pub fn status(&self) -> Status {
        let lot_recalled = matches!(&self.lot, Some((_, Some(l))) if l.recalled.is_some());
        match &self.current {
            Some(c) if c.custody.status == CodeStatus::Recalled || lot_recalled => Status::Recalled,
            _ if lot_recalled => Status::Recalled,
            Some(c) if c.custody.expired => Status::Expired,
            Some(c) if c.custody.excursion => Status::Alert,
            _ if !self.alerts.is_empty() || self.holds.iter().any(HoldView::is_open) => {
                Status::Alert
            }
            _ => Status::Normal,
        }
    }

    /// An organisation's name (its number when state does not know it).
    pub fn org(&self, id: OrgId) -> String {
        self.orgs
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("#{id}"))
    }

    /// The product's temperature band, if it has one.
    pub fn band(&self) -> Option<TemperatureRange> {
        self.product.as_ref().and_then(|p| p.temperature)
    }

    /// How many pages the hops fill.
    pub fn pages(&self) -> usize {
        self.trace.hops.len().div_ceil(PAGE_SIZE).max(1)
    }

    /// The JSON answer (`Accept: application/json`).
    pub fn to_json(&self) -> ScanJson {
        ScanJson {
            code: self.trace.code.to_string(),
            status: self.status(),
            product: self
                .product
                .as_ref()
                .map(|p| String::from_utf8_lossy(&p.name).into_owned()),
            holder: self.current.as_ref().map(|c| self.org(c.custody.custodian)),
            verified: self.verified.is_ok(),
            verification_error: self.verified.clone().err(),
            alerts: self.alerts.clone(),
            certificates: self.certificates.clone(),
            holds: self.holds.clone(),
            organisations: self.orgs.clone(),
            trace: TraceJson::page(&self.trace, self.height, self.current.as_ref(), self.page),
        }
    }
}

/// The scan page as JSON (see `docs/openapi.yaml`, `ScanResult`).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScanJson {
    /// The code, canonical.
    pub code: String,
    /// `normal`, `alert`, `recalled` or `expired`.
    pub status: Status,
    /// The product's name.
    pub product: Option<String>,
    /// The holder's name.
    pub holder: Option<String>,
    /// Whether the proof of every hop of this page verified.
    pub verified: bool,
    /// Why not, if not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification_error: Option<String>,
    /// Alerts naming the code or a code of its trace, newest first.
    pub alerts: Vec<AlertJson>,
    /// Certificates of the code and its lot.
    pub certificates: Vec<CertificateView>,
    /// Holds on its lot (positive or failed tests).
    pub holds: Vec<HoldView>,
    /// Names of the organisations the trace names.
    pub organisations: BTreeMap<OrgId, String>,
    /// The trace, as `trace_history` answers it: one page of hops (`trace.nextCursor` continues).
    pub trace: TraceJson,
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn attestations(subject: &Subject) -> Vec<(yima_attestation::types::AttestationId, Attestation)> {
    yima_attestation::BySubject::iter_prefix(subject)
        .into_iter()
        .filter_map(|(id, ())| yima_attestation::Attestations::get(&id).map(|a| (id, a)))
        .collect()
}

/// Reads everything the page shows for `code`, verifying the hops of `page`.
pub fn load(host: &Arc<NodeHost>, code: &TraceCode, page: Page) -> Result<ScanView, ScanError> {
    let node = |e: &dyn std::fmt::Display| ScanError::Node(e.to_string());
    let state = host.store().state().map_err(|e| node(&e))?;
    let height = state.head().unwrap_or(0);
    let trace = match query::trace(&state.index(), code) {
        Ok(t) => t,
        Err(QueryError::UnknownCode(c)) => return Err(ScanError::NotOnChain(c.to_string())),
        Err(e) => return Err(node(&e)),
    };
    let current = state.custody().custody_of(&[*code]).pop().flatten();
    let now = host
        .store()
        .header(height)
        .map_err(|e| node(&e))?
        .map(|h| h.timestamp)
        .unwrap_or(0);

    // Organisations, product, lot and certificates from state, in one set of externalities.
    let mut org_ids: BTreeSet<OrgId> = trace.hops.iter().map(|h| h.org).collect();
    for hop in &trace.hops {
        org_ids.extend(hop.epcis().source);
        org_ids.extend(hop.epcis().destination);
    }
    if let Some(c) = &current {
        org_ids.insert(c.custody.custodian);
    }
    org_ids.extend(trace.clearances.iter().map(|c| c.by));
    let lot_key = current.as_ref().and_then(|c| c.lot.clone());
    let product_id = lot_key
        .as_ref()
        .map(|l| l.product)
        .or_else(|| code.product());
    let backend: Arc<dyn StateBackend> = Arc::new(state.clone());
    let (product, lot, certs, holds, mut orgs) = Externalities::new(backend).execute_with(|| {
        let product = product_id.and_then(|p| yima_trace::Products::get(&p));
        let lot = lot_key.clone().map(|k| {
            let l = yima_trace::Lots::get(&k);
            (k, l)
        });
        let mut certs = attestations(&Subject::Code(*code));
        if let Some(k) = &lot_key {
            certs.extend(attestations(&Subject::Lot(LotRef {
                product: k.product,
                lot: k.lot,
            })));
        }
        let mut views = Vec::new();
        let mut issuers = BTreeSet::new();
        let holds = lot_key.as_ref().map(lot_holds).unwrap_or_default();
        issuers.extend(holds.iter().map(|h| hold_org(&h.state)));
        for (id, a) in certs {
            let schema = yima_attestation::Schemas::get(&a.schema)
                .map(|s| format!("{} v{}", text(&s.name), s.version))
                .unwrap_or_else(|| format!("schema {}", a.schema));
            issuers.insert(a.issuer_org);
            let revoked = a.revoked.as_ref().is_some_and(|r| r.time <= now);
            views.push((
                a.issuer_org,
                CertificateView {
                    id: id.to_string(),
                    schema,
                    issuer: String::new(),
                    valid_from: a.valid_from,
                    valid_until: a.valid_until,
                    revoked,
                    valid_now: !revoked
                        && a.valid_from <= now
                        && a.valid_until.is_none_or(|u| now < u),
                },
            ));
        }
        let orgs: BTreeMap<OrgId, String> = org_ids
            .iter()
            .chain(&issuers)
            .filter_map(|id| yima_membership::Organisations::get(id).map(|o| (*id, text(&o.name))))
            .collect();
        (product, lot, views, holds, orgs)
    });
    let certificates = certs
        .into_iter()
        .map(|(issuer, mut c)| {
            c.issuer = orgs
                .get(&issuer)
                .cloned()
                .unwrap_or_else(|| format!("#{issuer}"));
            c
        })
        .collect();
    let holds = holds
        .into_iter()
        .map(|h| {
            let by = hold_org(&h.state);
            let (at, recalled, decision) = match h.state {
                HoldState::Held { at, recalled, .. } => (at, recalled, None),
                HoldState::Released { at, decision, .. } => (at, false, Some(decision.to_string())),
                HoldState::Disposed { at, disposal, .. } => (at, false, Some(disposal.to_string())),
            };
            HoldView {
                kind: h.source.as_str(),
                state: h.state.as_str(),
                by: orgs.get(&by).cloned().unwrap_or_else(|| format!("#{by}")),
                at,
                recalled,
                decision,
            }
        })
        .collect();
    orgs.retain(|_, name| !name.is_empty());

    // Alerts in the newest blocks of the hops naming one of the trace's codes.
    let mut names: BTreeSet<String> = trace.hops.iter().map(|h| h.subject.to_string()).collect();
    names.insert(code.to_string());
    let all_blocks: BTreeSet<u64> = trace.hops.iter().map(|h| h.at.block).collect();
    let blocks: Vec<u64> = all_blocks
        .into_iter()
        .rev()
        .take(ALERT_BLOCKS)
        .rev()
        .collect();
    let mut alerts = Vec::new();
    for block in blocks {
        for alert in block_alerts(host, block).map_err(|e| node(&e))? {
            if alert.codes.iter().any(|c| names.contains(c)) {
                alerts.push(alert);
            }
        }
    }
    alerts.reverse();

    // The badge: the page's hops proven, and the whole trace the history the chain commits for every code it
    // rests on (the index checked against the summaries in state).
    let complete = Externalities::new(Arc::new(state.clone())).execute_with(|| {
        let summary_of = |c: &TraceCode| {
            yima_trace::Codes::get(c)
                .map(|s| s.history)
                .unwrap_or_default()
        };
        query::complete::check_trace(&state.index(), &summary_of, &trace, height)
    });
    let verified =
        super::verify::verify_hops(host, code, page.slice(&trace.hops).0).and_then(|()| {
            complete.map(|_| ()).map_err(|e| {
                format!("the history shown is not the whole history the chain commits: {e}")
            })
        });
    Ok(ScanView {
        trace,
        current,
        height,
        now,
        product,
        lot,
        orgs,
        alerts,
        certificates,
        holds,
        page,
        verified,
    })
}

/// Who reported a standing hold, or who decided it.
fn hold_org(state: &HoldState) -> OrgId {
    match *state {
        HoldState::Held { by, .. }
        | HoldState::Released { by, .. }
        | HoldState::Disposed { by, .. } => by,
    }
}
