//! Who may record a laboratory test result on a lot — the cold chain's positive test and food's quick-test and
//! inspection results share this rule: an inspection body's Inspector, or a regulator's Operator or Governance
//! account.

use yima_frame::{DispatchError, Role, Signer};

use crate::OrgKind;

/// The kind of organisation recording a test result.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tester {
    /// An inspection body (its Inspector): its result holds the lot, but it may not recall a lot it does not own.
    InspectionBody,
    /// A regulator (its Operator or Governance account): its result may also recall the lot.
    Regulator,
}

/// What `signer`, of an organisation of kind `kind`, records a test result as: `Ok(None)` when its organisation
/// neither tests nor regulates (the caller refuses with its own error), `MissingRole` when the organisation
/// tests but the account lacks the role.
pub fn tester(signer: &Signer, kind: Option<OrgKind>) -> Result<Option<Tester>, DispatchError> {
    match kind {
        Some(OrgKind::InspectionBody) => {
            signer.ensure_role(Role::Inspector)?;
            Ok(Some(Tester::InspectionBody))
        }
        Some(OrgKind::Regulator) => {
            if signer.roles.contains(Role::Operator) || signer.roles.contains(Role::Governance) {
                Ok(Some(Tester::Regulator))
            } else {
                Err(DispatchError::MissingRole(Role::Operator))
            }
        }
        _ => Ok(None),
    }
}
