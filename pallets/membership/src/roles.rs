//! Which roles an organisation of each kind may hold (issue 13): a role is an authority that other pallets
//! trust — an Inspector's reading or attestation, a Governance vote — so it follows what the organisation *is*,
//! not what its Admin declares.
//!
//! - **Admin**, **Operator**: every kind.
//! - **Governance**: Regulator only.
//! - **Inspector**: Regulator, Customs, Cdc, InspectionBody, CertificationBody — and the kinds the shipped
//!   attestation schemas name as issuers: Producer (origin certificate 合格证), Retailer and Caterer (quick test
//!   快检), SupervisedWarehouse (disinfection certificate 消毒证明), Hospital (staff health certificate 健康证),
//!   MaintenanceFirm (elevator maintenance 维保) and Insurer (equipment liability insurance).
//!
//! A Manufacturer, Importer, Processor, ColdWarehouse, Carrier, Distributor, Pharmacy or VaccinationSite records
//! custody, never inspections of others' goods, and cannot give itself the Inspector role.
//!
//! `AddAccount`, `SetRoles` (the call and [`crate::Action::SetRoles`]) and the genesis check enforce the table;
//! an organisation is admitted with Admin and Operator, which every kind may hold.

use yima_frame::{Role, Roles};

use crate::{Error, OrgKind};

/// The roles an organisation of `kind` may give its accounts (see the table in the module docs).
pub fn allowed_roles(kind: OrgKind) -> Roles {
    use OrgKind::*;
    match kind {
        Regulator => Roles::of(&Role::ALL),
        Customs | Cdc | InspectionBody | CertificationBody | Producer | Retailer | Caterer
        | SupervisedWarehouse | Hospital | MaintenanceFirm | Insurer => {
            Roles::of(&[Role::Admin, Role::Operator, Role::Inspector])
        }
        Manufacturer | Importer | Processor | ColdWarehouse | Carrier | Distributor | Pharmacy
        | VaccinationSite => Roles::of(&[Role::Admin, Role::Operator]),
    }
}

/// The first role of `roles` (in bit order) that an organisation of `kind` may not hold.
pub fn first_forbidden_role(kind: OrgKind, roles: Roles) -> Option<Role> {
    let allowed = allowed_roles(kind);
    roles.to_vec().into_iter().find(|r| !allowed.contains(*r))
}

/// Refuses `roles` holding a role an organisation of `kind` may not hold.
pub(crate) fn ensure_roles_allowed(kind: OrgKind, roles: Roles) -> Result<(), Error> {
    match first_forbidden_role(kind, roles) {
        None => Ok(()),
        Some(_) => Err(Error::RoleNotAllowedForKind),
    }
}
