//! The product registry and recalls.
//!
//! Who may register what (issue 13):
//! - a **GTIN** only by the organisation holding its GS1 company prefix (membership records the prefixes,
//!   attested by the regulators), so nobody squats a rival's GTIN;
//! - an **NMPA product code** only as a [`Category::Drug`] or [`Category::Vaccine`];
//! - a **vaccine** only by a manufacturer, a **drug** by a manufacturer or an importer, **imported cold-chain
//!   food** only by an importer; other categories by any producing kind (manufacturer, importer, producer,
//!   processor);
//! - products of these regulated categories ([`Category::needs_approval`]) are *pending* until a regulator's
//!   Operator or Governance account approves them citing the licence's digest ([`Call::ApproveProduct`]); no
//!   code of a pending product is commissioned;
//! - a **vaccine** or **imported cold-chain food** only with a temperature band
//!   ([`Category::needs_temperature_band`]: 2–8 °C for vaccines, chilled 0–4 °C or frozen ≤ −18 °C for food, as
//!   the product needs): without one no reading is an excursion and a warm truck raises no alert.
//!
//! A regulator corrects a product's category, owner or temperature band ([`Call::CorrectProduct`]) with the digest of its
//! decision; the correction is the event [`Event::ProductCorrected`] and takes effect for every later event
//! (ARCHITECTURE.md, trace: what it means for codes in flight). It withdraws any approval: a product whose new
//! category is regulated waits for a new one.
//!
//! [`Call::ApproveProduct`]: crate::Call::ApproveProduct
//! [`Call::CorrectProduct`]: crate::Call::CorrectProduct
//! [`Event::ProductCorrected`]: crate::Event::ProductCorrected

use yima_codes::{ProductId, TraceCode};
use yima_frame::storage::StorageMap;
use yima_frame::{DispatchResult, Hash, OrgId, Origin, Role, Signer};
use yima_membership::{MembershipInspect, OrgKind};

use crate::types::{
    Approval, Category, Product, TemperatureRange, FLAG_RECALLED, MAX_PRODUCT_NAME_BYTES,
};
use crate::{Codes, Config, Error, Event, Lots, Pallet, Products};

/// What a regulator's correction of a product sets ([`Pallet::correct_product`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Correction {
    /// The product.
    pub product: ProductId,
    /// Its category from now on.
    pub category: Category,
    /// Its owner from now on.
    pub owner: OrgId,
    /// Its temperature band from now on (`None`: keep the current one).
    pub temperature: Option<TemperatureRange>,
}

impl<T: Config> Pallet<T> {
    /// Whether an organisation of `kind` may register (and own) a product of `category`.
    pub fn kind_may_hold(kind: Option<OrgKind>, category: Category) -> Result<(), Error> {
        let Some(kind) = kind else {
            return Err(Error::KindNotAllowed);
        };
        if !matches!(
            kind,
            OrgKind::Manufacturer | OrgKind::Importer | OrgKind::Producer | OrgKind::Processor
        ) {
            return Err(Error::KindNotAllowed);
        }
        let allowed = match category {
            Category::Vaccine => kind == OrgKind::Manufacturer,
            Category::Drug => matches!(kind, OrgKind::Manufacturer | OrgKind::Importer),
            Category::ColdChainFood => kind == OrgKind::Importer,
            Category::Food | Category::Other => true,
        };
        if !allowed {
            return Err(Error::CategoryNotAllowed);
        }
        Ok(())
    }

    /// An NMPA product code names a drug or a vaccine.
    fn ensure_id_fits(product: &ProductId, category: Category) -> Result<(), Error> {
        if matches!(product, ProductId::Nmpa(_))
            && !matches!(category, Category::Drug | Category::Vaccine)
        {
            return Err(Error::NmpaNotDrugOrVaccine);
        }
        Ok(())
    }

    /// Registers a product for the signer's organisation (an Operator of a manufacturer, importer, producer or
    /// processor; see the module docs for who registers which category and identifier). A product of a
    /// regulated category is pending until a regulator approves it.
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
        Self::kind_may_hold(kind, category)?;
        if name.is_empty()
            || name.len() > MAX_PRODUCT_NAME_BYTES
            || std::str::from_utf8(&name).is_err()
        {
            return Err(Error::InvalidName.into());
        }
        Self::check_band(category, temperature)?;
        if Products::contains_key(&product) {
            return Err(Error::ProductExists.into());
        }
        Self::ensure_id_fits(&product, category)?;
        if let ProductId::Gtin(gtin) = &product {
            if <T::Membership as MembershipInspect>::company_prefix_holder(gtin) != Some(signer.org)
            {
                return Err(Error::NotPrefixHolder.into());
            }
        }
        Products::insert(
            &product,
            &Product {
                owner: signer.org,
                name,
                category,
                temperature,
                shelf_life_days,
                approval: None,
            },
        );
        Self::deposit_event(Event::ProductRegistered {
            product,
            owner: signer.org,
            category,
        });
        Ok(())
    }

    /// The signer acts for a regulator with its Operator or Governance role.
    fn ensure_regulator(signer: &Signer) -> DispatchResult {
        let kind = <T::Membership as MembershipInspect>::org_kind(signer.org);
        if yima_membership::regulator_decides(signer, kind)? {
            Ok(())
        } else {
            Err(Error::NotRegulator.into())
        }
    }

    /// Approves a pending product of a regulated category, citing the digest of its licence (a regulator's
    /// Operator or Governance account).
    pub fn approve_product(origin: &Origin, product: ProductId, licence: Hash) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        Self::ensure_regulator(signer)?;
        let mut record = Products::get(&product).ok_or(Error::UnknownProduct)?;
        if !record.is_pending() {
            return Err(Error::ApprovalNotNeeded.into());
        }
        record.approval = Some(Approval {
            by: signer.org,
            licence,
        });
        Products::insert(&product, &record);
        Self::deposit_event(Event::ProductApproved {
            product,
            by: signer.org,
            licence,
        });
        Ok(())
    }

    /// Corrects a product's category, owner or temperature band (a regulator's Operator or Governance account),
    /// citing the digest of the decision. The new owner must be an organisation whose kind may hold the new
    /// category, an NMPA code stays a drug or vaccine, and a vaccine or imported cold-chain food keeps a band.
    /// Any approval is withdrawn. Lots already commissioned keep their owner.
    pub fn correct_product(
        origin: &Origin,
        correction: Correction,
        reason: Hash,
    ) -> DispatchResult {
        let Correction {
            product,
            category,
            owner,
            temperature,
        } = correction;
        let signer = origin.ensure_signed()?;
        Self::ensure_regulator(signer)?;
        let mut record = Products::get(&product).ok_or(Error::UnknownProduct)?;
        let band = temperature.or(record.temperature);
        if record.category == category && record.owner == owner && band == record.temperature {
            return Err(Error::NothingToCorrect.into());
        }
        let kind = <T::Membership as MembershipInspect>::org_kind(owner)
            .ok_or(Error::UnknownOrganisation)?;
        Self::kind_may_hold(Some(kind), category)?;
        Self::ensure_id_fits(&product, category)?;
        Self::check_band(category, band)?;
        let (old_category, old_owner, old_temperature) =
            (record.category, record.owner, record.temperature);
        record.category = category;
        record.owner = owner;
        record.temperature = band;
        record.approval = None;
        Products::insert(&product, &record);
        Self::deposit_event(Event::ProductCorrected {
            product,
            old_category,
            category,
            old_owner,
            owner,
            old_temperature,
            temperature: band,
            by: signer.org,
            reason,
        });
        Ok(())
    }

    /// A band, if given, is possible; a vaccine or imported cold-chain food has one.
    fn check_band(category: Category, band: Option<TemperatureRange>) -> Result<(), Error> {
        match band {
            Some(t)
                if t.min_centi_celsius > t.max_centi_celsius
                    || t.min_centi_celsius < crate::types::ABSOLUTE_ZERO_CENTI =>
            {
                Err(Error::InvalidTemperatureRange)
            }
            None if category.needs_temperature_band() => Err(Error::TemperatureBandRequired),
            _ => Ok(()),
        }
    }

    /// The signer may recall for an owner organisation: an Operator of it, or a regulator's Operator or
    /// Governance account.
    fn ensure_may_recall(signer: &Signer, owner: Option<u32>) -> DispatchResult {
        let kind = <T::Membership as MembershipInspect>::org_kind(signer.org);
        if yima_membership::regulator_decides(signer, kind)? {
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
