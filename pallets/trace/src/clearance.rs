//! A regulator clears an excursion flag (闭环 of a temperature excursion).
//!
//! An excursion flag is set by a reading of the holder or of an official inspector and stays until a regulator
//! decides: [`crate::Call::ClearExcursion`] names the code and the digest of the decision document, clears the
//! code's **own** flag and deposits [`crate::Event::ExcursionCleared`]. A packed code whose flag comes from a
//! container it is still inside is refused (clear the container: its contents are flagged only through it); a
//! code unpacked from a flagged container carries its own copy of the flag and is cleared on its own.

use yima_codes::TraceCode;
use yima_frame::storage::StorageMap;
use yima_frame::{DispatchResult, Hash, Origin};
use yima_membership::MembershipInspect;

use crate::types::FLAG_EXCURSION;
use crate::{custody, Codes, Config, Error, Event, Pallet};

impl<T: Config> Pallet<T> {
    /// Clears `code`'s excursion flag (a regulator's Operator or Governance account), citing `reason`, the
    /// digest of the decision document.
    pub fn clear_excursion(origin: &Origin, code: TraceCode, reason: Hash) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        let kind = <T::Membership as MembershipInspect>::org_kind(signer.org);
        if !yima_membership::regulator_decides(signer, kind)? {
            return Err(Error::NotRegulator.into());
        }
        if reason == Hash::default() {
            return Err(Error::NoReason.into());
        }
        let (mut state, ancestors) = custody::chain(&code)?;
        if ancestors
            .iter()
            .any(|(_, container)| container.flags & FLAG_EXCURSION != 0)
        {
            return Err(Error::ExcursionOnContainer.into());
        }
        if state.flags & FLAG_EXCURSION == 0 {
            return Err(Error::NoExcursion.into());
        }
        state.flags &= !FLAG_EXCURSION;
        Codes::insert(&code, &state);
        Self::deposit_event(Event::ExcursionCleared {
            code,
            by: signer.org,
            reason,
        });
        Ok(())
    }
}
