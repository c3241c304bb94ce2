//! Governance counts kept incrementally: how many active Governance accounts each regulator organisation has
//! ([`crate::GovernorsByOrg`]) and how many accounts may approve proposals now — active Governance accounts in
//! active regulator organisations ([`crate::EligibleGovernors`]).
//!
//! Every write of an account record or of an organisation's status that can change them goes through
//! [`write_account`] or [`set_org_status`], so the threshold checks read two storage items instead of scanning
//! every account. [`recount`] is the full scan the tests compare them with.

use yima_frame::storage::{StorageMap, StorageValue};
use yima_frame::{AccountId, OrgId, Role};

use crate::{
    Account, Accounts, EligibleGovernors, GovernorsByOrg, OrgKind, OrgStatus, Organisation,
    Organisations,
};

/// Whether `record` is an active account holding the Governance role (counted when its organisation is a
/// regulator).
pub(crate) fn holds_governance(record: &Account) -> bool {
    record.status.is_active() && record.roles.contains(Role::Governance)
}

/// Adds `delta` (±1) for `record` to the counts, if it counts.
fn adjust(record: &Account, delta: i64) {
    if !holds_governance(record) {
        return;
    }
    let Some(org) = Organisations::get(&record.org) else {
        return;
    };
    if org.kind != OrgKind::Regulator {
        return;
    }
    put_org_count(
        record.org,
        add(GovernorsByOrg::get(&record.org).unwrap_or(0), delta),
    );
    if org.status.is_active() {
        EligibleGovernors::put(&add(EligibleGovernors::get_or_default(), delta));
    }
}

fn add(n: u32, delta: i64) -> u32 {
    u32::try_from((i64::from(n) + delta).max(0)).unwrap_or(u32::MAX)
}

fn put_org_count(org: OrgId, n: u32) {
    if n == 0 {
        GovernorsByOrg::remove(&org);
    } else {
        GovernorsByOrg::insert(&org, &n);
    }
}

/// Writes `new` as the record of `key` (replacing its record, if any) and updates the counts.
pub(crate) fn write_account(key: &AccountId, new: &Account) {
    if let Some(old) = Accounts::get(key) {
        adjust(&old, -1);
    }
    Accounts::insert(key, new);
    adjust(new, 1);
}

/// Writes `record` (organisation `id`) with status `status` and updates the eligible count.
pub(crate) fn set_org_status(id: OrgId, record: &mut Organisation, status: OrgStatus) {
    let was = record.status.is_active();
    record.status = status;
    Organisations::insert(&id, record);
    if record.kind == OrgKind::Regulator && was != status.is_active() {
        let n = i64::from(GovernorsByOrg::get(&id).unwrap_or(0));
        let delta = if status.is_active() { n } else { -n };
        EligibleGovernors::put(&add(EligibleGovernors::get_or_default(), delta));
    }
}

/// The counts by a full scan of every account: active Governance accounts per regulator organisation (zero
/// counts left out) and the eligible governors among them. Only for tests: the chain keeps them incrementally.
#[cfg(test)]
pub(crate) fn recount() -> (std::collections::BTreeMap<OrgId, u32>, u32) {
    let mut by_org = std::collections::BTreeMap::new();
    let mut eligible = 0;
    for (_, record) in Accounts::iter() {
        let Some(org) = Organisations::get(&record.org) else {
            continue;
        };
        if org.kind == OrgKind::Regulator && holds_governance(&record) {
            *by_org.entry(record.org).or_insert(0) += 1;
            if org.status.is_active() {
                eligible += 1;
            }
        }
    }
    (by_org, eligible)
}

/// The stored counts, in the shape of [`recount`].
#[cfg(test)]
pub(crate) fn stored() -> (std::collections::BTreeMap<OrgId, u32>, u32) {
    (
        GovernorsByOrg::iter().into_iter().collect(),
        EligibleGovernors::get_or_default(),
    )
}
