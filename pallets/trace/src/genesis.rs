//! Genesis of the trace pallet: the capture limits (policy parameters).

use serde::{Deserialize, Serialize};
use yima_frame::storage::StorageValue;
use yima_frame::{GenesisBuild, GenesisError};

use crate::types::CaptureLimits;
use crate::{Limits, PALLET};

/// Genesis configuration of the trace pallet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisConfig {
    /// Limits on captured events (defaults apply when omitted).
    #[serde(default)]
    pub limits: CaptureLimits,
}

impl GenesisBuild for GenesisConfig {
    fn build(&self) -> Result<(), GenesisError> {
        let l = self.limits;
        if l.max_events_per_call == 0 || l.max_codes_per_event == 0 {
            return Err(GenesisError::new(
                PALLET,
                "capture limits must allow at least one event of at least one code",
            ));
        }
        Limits::put(&l);
        Ok(())
    }
}
