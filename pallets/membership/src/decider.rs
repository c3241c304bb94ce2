//! Who decides for a regulator — approves or corrects a product, clears an excursion flag, releases or disposes
//! of a held lot: an Operator or Governance account of a regulator organisation. One rule for the trace, food and
//! cold-chain pallets, as [`crate::tester`] is for test results.

use yima_frame::{DispatchError, Role, Signer};

use crate::OrgKind;

/// Whether `signer`, of an organisation of kind `kind`, decides for a regulator: `Ok(false)` when its
/// organisation is no regulator (the caller refuses with its own error), `MissingRole(Operator)` when it is one
/// but the account holds neither Operator nor Governance.
pub fn regulator_decides(signer: &Signer, kind: Option<OrgKind>) -> Result<bool, DispatchError> {
    if kind != Some(OrgKind::Regulator) {
        return Ok(false);
    }
    if signer.roles.contains(Role::Operator) || signer.roles.contains(Role::Governance) {
        Ok(true)
    } else {
        Err(DispatchError::MissingRole(Role::Operator))
    }
}
