//! The drug policy ([`DrugPolicy`]): root only, i.e. regulator governance through `Action::Dispatch` of
//! [`crate::Call::SetPolicy`] — two of three regulators, say, change the rolling limit without a runtime
//! upgrade. Until governance sets one, [`DrugPolicy::default`] holds (2 packs per sale, 6 packs per buyer in 30
//! days, batches need their black box). Nonsense is refused with [`Error::InvalidPolicy`].
//!
//! A new window applies from the next check on: purchases still on record count under it.

use yima_frame::storage::StorageValue;
use yima_frame::{DispatchResult, Origin};

use crate::types::DrugPolicy;
use crate::{Config, Error, Event, Pallet, Policy};

impl<T: Config> Pallet<T> {
    /// Sets the policy (root).
    pub fn set_policy(origin: &Origin, policy: DrugPolicy) -> DispatchResult {
        origin.ensure_root()?;
        if !policy.is_valid() {
            return Err(Error::InvalidPolicy.into());
        }
        Policy::put(&policy);
        Self::deposit_event(Event::PolicySet(policy));
        Ok(())
    }
}
