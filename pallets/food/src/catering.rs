//! Catering use: a canteen (school canteen, staff canteen, restaurant) records the goods it uses in a kitchen.
//!
//! CBV has no business step for cooking a meal, and the goods end at the kitchen as they end at a till, so the
//! use is recorded through the trace core as a `retail_selling` object event with disposition `retail_sold`, at
//! the kitchen (business location = the kitchen id, e.g. its 阳光厨房 location). It therefore passes the same
//! custody rules (the caterer must hold the codes; recalled, expired or finished codes are refused) and the same
//! gates as a sale: goods of a lot that failed a test, or made from one, are refused
//! ([`crate::Error::FailedTestNoSale`]), as are imported cold-chain goods without their four certificates.
//! A caterer may also capture the event itself; this call adds the check that the signer is a caterer and
//! [`Event::Served`].

use yima_codes::TraceCode;
use yima_frame::{DispatchResult, Origin, Role};
use yima_membership::OrgKind;
use yima_trace::epcis::{Action, BizStep, Disposition, EpcisEvent, EventBody, Location};

use crate::{
    Config, Error, Event, Pallet, CST_MINUTES, MAX_CODES_PER_USE, MAX_KITCHEN_BYTES, PALLET,
};

impl<T: Config> Pallet<T> {
    /// Records the use of `codes` in the signer's kitchen `kitchen` (a caterer's Operator, the custodian).
    pub fn serve(origin: &Origin, codes: Vec<TraceCode>, kitchen: Vec<u8>) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        if Self::org_kind(signer.org) != Some(OrgKind::Caterer) {
            return Err(Error::NotCaterer.into());
        }
        signer.ensure_role(Role::Operator)?;
        if codes.is_empty() || codes.len() > MAX_CODES_PER_USE {
            return Err(Error::InvalidCodeCount.into());
        }
        if kitchen.is_empty() || kitchen.len() > MAX_KITCHEN_BYTES {
            return Err(Error::InvalidKitchen.into());
        }
        let mut event = EpcisEvent::new(
            EventBody::Object {
                action: Action::Observe,
                epcs: codes.clone(),
                quantities: vec![],
            },
            Self::now(),
            CST_MINUTES,
            BizStep::RetailSelling,
        );
        event.disposition = Some(Disposition::RetailSold);
        event.biz_location = Some(Location::Other(kitchen.clone()));
        yima_trace::Pallet::<T>::record(origin, vec![event], PALLET)?;
        Self::deposit_event(Event::Served {
            caterer: signer.org,
            kitchen,
            codes,
        });
        Ok(())
    }
}
