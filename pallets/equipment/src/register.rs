//! The register: a regulator registers a unit, the user or a regulator names its maintenance firm, a regulator
//! stops it or returns it to service.
//!
//! **Register.** The signer is a regulator ([`yima_membership::regulator_decides`]); the number is free, and so is
//! the GIAI if one is given; the area is a 6-digit code whose first two digits are the number's province; the
//! address is 1 to [`MAX_ADDRESS_BYTES`](crate::MAX_ADDRESS_BYTES) bytes of text; the rescue contact 3 to
//! [`MAX_RESCUE_BYTES`](crate::MAX_RESCUE_BYTES) digits, `-` or `+`; the user an active member; the inspection due
//! after now. The inspection deadline goes into the index, and for an elevator the first maintenance deadline,
//! [`FIRST_MAINTENANCE_WITHIN`](crate::FIRST_MAINTENANCE_WITHIN) from now.
//!
//! **Maintenance firm.** An Admin of the unit's user organisation (the contract is the user's) or a regulator
//! names an active organisation of kind `MaintenanceFirm`, or none; from then on only that firm records the unit's
//! maintenance ([`crate::records`]).
//!
//! **Amendment** (变更登记). A regulator gives a unit a new user, area or address, checked as at registration. A
//! new user names its own maintenance firm: the old user's firm is no longer the unit's.
//!
//! **Status.** A regulator stops a unit (停用): its open lapses close without a record and its deadlines raise
//! nothing while it stands still. It returns to service only with its inspection in date; a maintenance deadline
//! already passed then lapses at once.

use yima_codes::{Giai, RegistrationNumber};
use yima_frame::storage::{StorageDoubleMap, StorageMap, StorageValue};
use yima_frame::{DispatchResult, Hash, Moment, OrgId, Origin, Role, Signer};
use yima_membership::{regulator_decides, OrgKind};

use crate::deadlines::{lapse_now, schedule};
use crate::types::{Lapse, Unit, UnitStatus};
use crate::{
    ByArea, ByGiai, ByMaintainer, ByUser, Config, Error, Event, Lapsed, Pallet, UnitCount, Units,
    FIRST_MAINTENANCE_WITHIN, MAX_ADDRESS_BYTES, MAX_RESCUE_BYTES,
};

/// Whether `address` is 1 to [`MAX_ADDRESS_BYTES`] bytes of UTF-8 without control characters.
fn is_valid_address(address: &[u8]) -> bool {
    !address.is_empty()
        && address.len() <= MAX_ADDRESS_BYTES
        && std::str::from_utf8(address).is_ok_and(|s| !s.chars().any(char::is_control))
}

/// Whether `rescue` is 3 to [`MAX_RESCUE_BYTES`] digits, `-` or `+`.
fn is_valid_rescue(rescue: &[u8]) -> bool {
    (3..=MAX_RESCUE_BYTES).contains(&rescue.len())
        && rescue
            .iter()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+'))
}

impl<T: Config> Pallet<T> {
    /// Refuses anyone but an Operator or Governance account of a regulator.
    fn ensure_regulator(signer: &Signer) -> DispatchResult {
        if regulator_decides(signer, Self::org_kind(signer.org))? {
            Ok(())
        } else {
            Err(Error::NotRegulator.into())
        }
    }

    /// Refuses an area outside `unit`'s province or an address that is no bounded text (registration and
    /// amendment alike).
    fn check_place(unit: &RegistrationNumber, area: u32, address: &[u8]) -> DispatchResult {
        if !(100_000..=999_999).contains(&area) || area / 10_000 != unit.province_code() {
            return Err(Error::AreaOutsideProvince.into());
        }
        if !is_valid_address(address) {
            return Err(Error::InvalidAddress.into());
        }
        Ok(())
    }

    /// Refuses a user organisation that is no active member.
    fn check_user(user: OrgId) -> DispatchResult {
        if Self::org_is_active(user) {
            Ok(())
        } else {
            Err(Error::UnknownUser.into())
        }
    }

    /// Registers `unit` (see the module docs).
    #[allow(clippy::too_many_arguments)] // One argument per field of the call, as FRAME calls are written.
    pub fn register(
        origin: &Origin,
        unit: RegistrationNumber,
        giai: Option<Giai>,
        area: u32,
        address: Vec<u8>,
        user: OrgId,
        rescue: Vec<u8>,
        inspection_due: Moment,
    ) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        Self::ensure_regulator(signer)?;
        if Units::contains_key(&unit) {
            return Err(Error::AlreadyRegistered.into());
        }
        if giai.is_some_and(|g| ByGiai::contains_key(&g)) {
            return Err(Error::GiaiTaken.into());
        }
        Self::check_place(&unit, area, &address)?;
        if !is_valid_rescue(&rescue) {
            return Err(Error::InvalidRescue.into());
        }
        Self::check_user(user)?;
        let now = Self::now();
        if inspection_due <= now {
            return Err(Error::InspectionDueInPast.into());
        }

        let kind = unit.kind();
        let maintenance_due =
            (kind == yima_codes::EquipmentKind::Elevator).then_some(now + FIRST_MAINTENANCE_WITHIN);
        let record = Unit {
            kind,
            giai,
            area,
            address,
            user,
            maintainer: None,
            rescue,
            registered_at: now,
            registered_by: signer.org,
            status: UnitStatus::InService,
            maintenance: None,
            inspection: None,
            insurance: None,
            accidents: 0,
            maintenance_due,
            inspection_due,
            lapsed: [false; 2],
        };
        Units::insert(&unit, &record);
        UnitCount::put(&(UnitCount::get_or_default() + 1));
        if let Some(giai) = giai {
            ByGiai::insert(&giai, &unit);
        }
        ByUser::insert(&user, &unit, &());
        ByArea::insert(&area, &unit, &());
        schedule::<T>(&unit, Lapse::InspectionExpired, inspection_due);
        if let Some(due) = maintenance_due {
            schedule::<T>(&unit, Lapse::MaintenanceOverdue, due);
        }
        Self::deposit_event(Event::Registered {
            unit,
            kind,
            user,
            area,
            by: signer.org,
        });
        Ok(())
    }

    /// Names `maintainer` as `unit`'s maintenance firm, or none (see the module docs).
    pub fn set_maintainer(
        origin: &Origin,
        unit: RegistrationNumber,
        maintainer: Option<OrgId>,
    ) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        let mut record = Units::get(&unit).ok_or(Error::UnitNotRegistered)?;
        if signer.org == record.user {
            signer.ensure_role(Role::Admin)?;
        } else if !regulator_decides(signer, Self::org_kind(signer.org))? {
            return Err(Error::NotUserOrRegulator.into());
        }
        if let Some(firm) = maintainer {
            if Self::org_kind(firm) != Some(OrgKind::MaintenanceFirm) || !Self::org_is_active(firm)
            {
                return Err(Error::NotMaintenanceFirm.into());
            }
        }
        if let Some(old) = record.maintainer {
            ByMaintainer::remove(&old, &unit);
        }
        if let Some(firm) = maintainer {
            ByMaintainer::insert(&firm, &unit, &());
        }
        record.maintainer = maintainer;
        Units::insert(&unit, &record);
        Self::deposit_event(Event::MaintainerSet {
            unit,
            maintainer,
            by: signer.org,
        });
        Ok(())
    }

    /// Amends `unit`'s registration: its user, area and address (see the module docs).
    pub fn amend(
        origin: &Origin,
        unit: RegistrationNumber,
        user: OrgId,
        area: u32,
        address: Vec<u8>,
    ) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        Self::ensure_regulator(signer)?;
        let mut record = Units::get(&unit).ok_or(Error::UnitNotRegistered)?;
        Self::check_place(&unit, area, &address)?;
        Self::check_user(user)?;
        if user != record.user {
            ByUser::remove(&record.user, &unit);
            ByUser::insert(&user, &unit, &());
            if let Some(firm) = record.maintainer.take() {
                ByMaintainer::remove(&firm, &unit);
            }
            record.user = user;
        }
        if area != record.area {
            ByArea::remove(&record.area, &unit);
            ByArea::insert(&area, &unit, &());
            record.area = area;
        }
        record.address = address;
        Units::insert(&unit, &record);
        Self::deposit_event(Event::Amended {
            unit,
            user,
            area,
            by: signer.org,
        });
        Ok(())
    }

    /// Stops `unit` or returns it to service (see the module docs).
    pub fn set_status(
        origin: &Origin,
        unit: RegistrationNumber,
        status: UnitStatus,
        reason: Hash,
    ) -> DispatchResult {
        let signer = origin.ensure_signed()?;
        Self::ensure_regulator(signer)?;
        let mut record = Units::get(&unit).ok_or(Error::UnitNotRegistered)?;
        if record.status == status {
            return Err(Error::SameStatus.into());
        }
        if reason == Hash::default() {
            return Err(Error::InvalidReason.into());
        }
        let now = Self::now();
        if status == UnitStatus::InService && record.inspection_due <= now {
            return Err(Error::InspectionExpired.into());
        }
        record.status = status;
        match status {
            UnitStatus::Stopped => {
                for lapse in [Lapse::MaintenanceOverdue, Lapse::InspectionExpired] {
                    if record.is_lapsed(lapse) {
                        record.set_lapsed(lapse, false);
                        Lapsed::remove(&lapse, &unit);
                    }
                }
                Units::insert(&unit, &record);
            }
            UnitStatus::InService => Units::insert(&unit, &record),
        }
        Self::deposit_event(Event::StatusChanged {
            unit: unit.clone(),
            status,
            by: signer.org,
            reason,
        });
        if status == UnitStatus::InService && record.maintenance_due.is_some_and(|due| due <= now) {
            lapse_now::<T>(&unit, Lapse::MaintenanceOverdue, now);
        }
        Ok(())
    }
}
