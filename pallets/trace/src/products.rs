//! The product registry and recalls.

use yima_codes::{ProductId, TraceCode};
use yima_frame::storage::StorageMap;
use yima_frame::{DispatchResult, Hash, Origin, Role, Signer};
use yima_membership::{MembershipInspect, OrgKind};

use crate::types::{Category, Product, TemperatureRange, FLAG_RECALLED, MAX_PRODUCT_NAME_BYTES};
use crate::{Codes, Config, Error, Event, Lots, Pallet, Products};

/// Hundredths of a degree Celsius at absolute zero.
const ABSOLUTE_ZERO_CENTI: i32 = -27_315;

impl<T: Config> Pallet<T> {
    /// Registers a product for the signer's organisation (an Operator of a manufacturer, importer, producer or
    /// processor).
    pub fn register_product(
        origin: &Origin,
        product: ProductId,
        name: Vec<u8>,
        category: Category,
        temperature: Option<TemperatureRange>,
        shelf_life_days: u32,
    ) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        signer.ensure_role(Role::Operator)?;
        let kind = <T::Membership as MembershipInspect>::org_kind(signer.org);
        if !matches!(
            kind,
            Some(
                OrgKind::Manufacturer | OrgKind::Importer | OrgKind::Producer | OrgKind::Processor
            )
        ) {
            return Err(Error::KindNotAllowed.into());
        }
        if name.is_empty()
            || name.len() > MAX_PRODUCT_NAME_BYTES
            || std::str::from_utf8(&name).is_err()
        {
            return Err(Error::InvalidName.into());
        }
        if let Some(t) = temperature {
            if t.min_centi_celsius > t.max_centi_celsius
                || t.min_centi_celsius < ABSOLUTE_ZERO_CENTI
            {
                return Err(Error::InvalidTemperatureRange.into());
            }
        }
        if Products::contains_key(&product) {
            return Err(Error::ProductExists.into());
        }
        Products::insert(
            &product,
            &Product {
                owner: signer.org,
                name,
                category,
                temperature,
                shelf_life_days,
            },
        );
        Self::deposit_event(Event::ProductRegistered {
            product,
            owner: signer.org,
            category,
        });
        Ok(())
    }

    /// Whether the signer acts for a regulator.
    fn is_regulator(signer: &Signer) -> bool {
        <T::Membership as MembershipInspect>::org_kind(signer.org) == Some(OrgKind::Regulator)
    }

    /// The signer may recall for an owner organisation: an Operator of it, or a regulator.
    fn ensure_may_recall(signer: &Signer, owner: Option<u32>) -> DispatchResult {
        if Self::is_regulator(signer) {
            if !(signer.roles.contains(Role::Operator) || signer.roles.contains(Role::Governance)) {
                return Err(yima_frame::DispatchError::MissingRole(Role::Operator));
            }
            return Ok(());
        }
        signer.ensure_role(Role::Operator)?;
        if owner != Some(signer.org) {
            return Err(Error::NotAllowedToRecall.into());
        }
        Ok(())
    }

    /// Recalls a lot: every code of it counts as recalled from now on (它的每个码都不能再流通).
    pub fn recall_lot(origin: &Origin, lot: crate::types::LotKey, reason: Hash) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        let mut record = Lots::get(&lot).ok_or(Error::UnknownLot)?;
        Self::ensure_may_recall(signer, Some(record.owner))?;
        if record.recalled.is_some() {
            return Err(Error::AlreadyRecalled.into());
        }
        record.recalled = Some(reason);
        Lots::insert(&lot, &record);
        Self::deposit_event(Event::LotRecalled {
            lot,
            by: signer.org,
            reason,
        });
        Ok(())
    }

    /// Recalls one code (and with it whatever is packed inside it). The owner of its lot or a regulator; for a
    /// code without a lot (a logistic unit), its custodian or a regulator.
    pub fn recall_code(origin: &Origin, code: TraceCode, reason: Hash) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        let (mut state, ancestors) = crate::custody::chain(&code)?;
        let owner = match &state.lot {
            Some(lot) => Lots::get(lot).map(|l| l.owner),
            // A packed unit is held by whoever holds its outermost container; its own record is stale.
            None => Some(
                ancestors
                    .last()
                    .map_or(state.custodian, |(_, root)| root.custodian),
            ),
        };
        Self::ensure_may_recall(signer, owner)?;
        if state.flags & FLAG_RECALLED != 0 {
            return Err(Error::AlreadyRecalled.into());
        }
        state.flags |= FLAG_RECALLED;
        Codes::insert(&code, &state);
        Self::deposit_event(Event::CodeRecalled {
            code,
            by: signer.org,
            reason,
        });
        Ok(())
    }
}
