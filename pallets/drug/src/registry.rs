//! Two of the four databases: the prescription-drug registry and the resident pharmacists with their 1:1
//! binding to a pharmacy. (Pharmacies are membership's organisations of kind `Pharmacy`; prescriptions are
//! [`crate::prescription`].)
//!
//! **Listing** ([`Pallet::list_drug`]): an Operator of a regulator lists a product registered in trace with
//! category drug — NMPA 7-digit product code or GTIN — as prescription-only and/or as a compound preparation
//! with controlled ingredients. Refusals: [`Error::NotRegulator`], [`Error::UnknownProduct`],
//! [`Error::NotADrugProduct`], [`Error::DrugExists`].
//!
//! **Binding** ([`Pallet::bind_pharmacist`]): an Operator of a pharmacy binds a pharmacist by pseudonymous id,
//! citing their licensed-pharmacist registration ([`schemas::PHARMACIST_LICENCE`], about the person, valid now).
//! A pharmacist is bound to at most one pharmacy: binding one who is bound here or elsewhere is refused
//! ([`Error::AlreadyBound`], [`Error::BoundElsewhere`]); the pharmacy they serve unbinds them
//! ([`Pallet::unbind_pharmacist`]) before another may bind them. Every binding is kept with its times
//! ([`Pallet::binding_history`]).

use yima_attestation::{schemas, AttestationId, AttestationInspect, PseudonymousId, Subject};
use yima_codes::ProductId;
use yima_frame::storage::{StorageDoubleMap, StorageMap};
use yima_frame::{DispatchResult, OrgId, Origin, Role, Signer};
use yima_membership::OrgKind;
use yima_trace::types::Category;

use crate::types::{Binding, Drug, Pharmacist};
use crate::{Bindings, Config, Drugs, Error, Event, Pallet, Pharmacists, Staff};

impl<T: Config> Pallet<T> {
    /// Lists `drug` in the registry (see the module docs).
    pub fn list_drug(
        origin: &Origin,
        drug: ProductId,
        prescription_only: bool,
        controlled_compound: bool,
    ) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        signer.ensure_role(Role::Operator)?;
        if Self::org_kind(signer.org) != Some(OrgKind::Regulator) {
            return Err(Error::NotRegulator.into());
        }
        let product = yima_trace::Pallet::<T>::product(&drug).ok_or(Error::UnknownProduct)?;
        if product.category != Category::Drug {
            return Err(Error::NotADrugProduct.into());
        }
        if Drugs::contains_key(&drug) {
            return Err(Error::DrugExists.into());
        }
        let entry = Drug {
            prescription_only,
            controlled_compound,
            listed_by: signer.org,
        };
        Drugs::insert(&drug, &entry);
        Self::deposit_event(Event::DrugListed { drug, entry });
        Ok(())
    }

    /// Binds `pharmacist` to the signer's pharmacy (see the module docs).
    pub fn bind_pharmacist(
        origin: &Origin,
        pharmacist: PseudonymousId,
        licence: AttestationId,
    ) -> DispatchResult {
        let pharmacy = Self::ensure_pharmacy(origin)?.org;
        if yima_attestation::pseudonym::check(&pharmacist).is_err() {
            return Err(Error::PharmacistNotPseudonymous.into());
        }
        let record = Pharmacists::get(&pharmacist);
        match record.and_then(|r| r.pharmacy) {
            Some(p) if p == pharmacy => return Err(Error::AlreadyBound.into()),
            Some(_) => return Err(Error::BoundElsewhere.into()),
            None => {}
        }
        T::Attestations::is_valid(
            &licence,
            &Subject::Person(pharmacist),
            schemas::PHARMACIST_LICENCE,
            Self::now(),
        )
        .map_err(|_| Error::PharmacistNotLicensed)?;

        let number = record.map_or(0, |r| r.bindings);
        Bindings::insert(
            &pharmacist,
            &number,
            &Binding {
                pharmacy,
                licence,
                bound_at: Self::now(),
                bound_block: yima_system::Pallet::<T>::block_number(),
                unbound_at: None,
            },
        );
        Pharmacists::insert(
            &pharmacist,
            &Pharmacist {
                pharmacy: Some(pharmacy),
                licence,
                bindings: number + 1,
            },
        );
        Staff::insert(&pharmacy, &pharmacist, &());
        Self::deposit_event(Event::PharmacistBound {
            pharmacist,
            pharmacy,
            licence,
        });
        Ok(())
    }

    /// Unbinds `pharmacist` from the signer's pharmacy.
    pub fn unbind_pharmacist(origin: &Origin, pharmacist: PseudonymousId) -> DispatchResult {
        let pharmacy = Self::ensure_pharmacy(origin)?.org;
        let mut record = Pharmacists::get(&pharmacist)
            .filter(|r| r.pharmacy == Some(pharmacy))
            .ok_or(Error::NotBoundHere)?;
        let number = record.bindings.saturating_sub(1);
        if let Some(mut binding) = Bindings::get(&pharmacist, &number) {
            binding.unbound_at = Some(Self::now());
            Bindings::insert(&pharmacist, &number, &binding);
        }
        record.pharmacy = None;
        Pharmacists::insert(&pharmacist, &record);
        Staff::remove(&pharmacy, &pharmacist);
        Self::deposit_event(Event::PharmacistUnbound {
            pharmacist,
            pharmacy,
        });
        Ok(())
    }

    /// A pharmacist's record.
    pub fn pharmacist(pharmacist: &PseudonymousId) -> Option<Pharmacist> {
        Pharmacists::get(pharmacist)
    }

    /// Every binding of `pharmacist`, oldest first.
    pub fn binding_history(pharmacist: &PseudonymousId) -> Vec<Binding> {
        let count = Pharmacists::get(pharmacist).map_or(0, |r| r.bindings);
        (0..count)
            .filter_map(|n| Bindings::get(pharmacist, &n))
            .collect()
    }

    /// The pharmacists bound to `pharmacy` now.
    pub fn resident_pharmacists(pharmacy: OrgId) -> Vec<PseudonymousId> {
        Staff::iter_prefix(&pharmacy)
            .into_iter()
            .map(|(p, ())| p)
            .collect()
    }

    /// Whether `pharmacist` is bound to `pharmacy` now.
    pub fn is_bound_to(pharmacist: &PseudonymousId, pharmacy: OrgId) -> bool {
        Pharmacists::get(pharmacist).is_some_and(|r| r.pharmacy == Some(pharmacy))
    }

    /// The signer, an Operator of a pharmacy.
    pub(crate) fn ensure_pharmacy(origin: &Origin) -> Result<&Signer, yima_frame::DispatchError> {
        let signer = origin.ensure_signed()?;
        signer.ensure_role(Role::Operator)?;
        if Self::org_kind(signer.org) != Some(OrgKind::Pharmacy) {
            return Err(Error::NotAPharmacy.into());
        }
        Ok(signer)
    }
}
