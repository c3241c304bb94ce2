//! `yima governance`: the regulators' M-of-N decisions — propose an action (admit an organisation, set the
//! threshold or the validators, force a key rotation, set roles, reinstate, set company prefixes), approve one —
//! each answered with the proposal's id and whether it was carried out, read from the transaction's own proven
//! events.

use clap::{Args, Subcommand};
use serde::Serialize;
use yima_client::submit::Included;
use yima_membership::{Action, CompanyPrefix, OrgKind, Uscc, Validator};
use yima_runtime::{RuntimeCall, RuntimeEvent};

use crate::common::{CmdResult, Failure, Global};
use crate::output;
use crate::tx::{account, report, roles, sign_and_wait};

/// `yima governance …` (signer: a regulator's Governance account).
#[derive(Subcommand)]
pub(crate) enum GovernanceCommand {
    /// Propose an action; the proposer's approval is the first, and it is carried out once the chain's
    /// threshold of regulators' Governance accounts approve it (before it expires).
    #[command(subcommand)]
    Propose(ProposeCommand),
    /// Approve an open proposal; at the threshold it is carried out in the same block.
    Approve {
        /// The proposal's id (printed by `propose`).
        #[arg(long)]
        id: u32,
    },
}

/// What a proposal does.
#[derive(Subcommand)]
pub(crate) enum ProposeCommand {
    /// Admit an organisation with its first account (Admin and Operator).
    AdmitOrganisation(AdmitArgs),
    /// Change how many approvals a proposal needs.
    SetThreshold {
        /// At least 1, at most the active Governance accounts of active regulators.
        #[arg(long)]
        threshold: u32,
    },
    /// Replace the validator set.
    SetValidators {
        /// A validator's consensus key and power, `0x…KEY[:POWER]` (power 1 when omitted); repeat for each.
        #[arg(long = "validator", required = true)]
        validators: Vec<String>,
    },
    /// Replace a compromised key: the account moves from OLD to NEW.
    ForceRotateKey {
        /// The compromised key.
        #[arg(long)]
        old: String,
        /// Its replacement.
        #[arg(long)]
        new: String,
    },
    /// Set any account's roles (the only way to grant or withdraw a regulator's Governance role).
    SetRoles {
        /// The account.
        #[arg(long)]
        account: String,
        /// Roles, comma-separated: admin, operator, inspector, governance.
        #[arg(long, value_delimiter = ',')]
        roles: Vec<String>,
    },
    /// Reinstate a suspended account, whoever suspended it.
    ReinstateAccount {
        /// The account.
        #[arg(long)]
        account: String,
    },
    /// Reinstate a suspended organisation, whichever regulator suspended it.
    ReinstateOrganisation {
        /// The organisation's id.
        #[arg(long)]
        org: u32,
    },
    /// Set the drug policy (the drug pallet's root call, carried out through governance): packs per sale,
    /// the per-buyer limit across pharmacies and its window, whether batches ship only with their black box.
    DrugPolicy {
        /// Most minimum packs of controlled compound preparations in one sale (regulation: 2).
        #[arg(long, default_value_t = 2)]
        max_packs_per_sale: u32,
        /// Most packs one buyer may buy across all pharmacies within the window.
        #[arg(long, default_value_t = 6)]
        window_packs: u32,
        /// The window, days.
        #[arg(long, default_value_t = 30)]
        window_days: u64,
        /// Let drug batches ship without all three black-box records (default: they may not).
        #[arg(long)]
        no_batch_records: bool,
    },
    /// Register an attestation schema: a kind of certificate, who may issue it and what it is about.
    RegisterSchema {
        /// Its name (e.g. `cold_storage_licence`).
        #[arg(long)]
        name: String,
        /// Its version (a changed certificate format is a new version).
        #[arg(long = "schema-version", default_value_t = 1)]
        schema_version: u16,
        /// The organisation kinds whose Inspectors may issue it, comma-separated (e.g. `inspection-body,regulator`).
        #[arg(long, value_delimiter = ',', required = true)]
        issuers: Vec<String>,
        /// What its attestations are about: code, lot, organisation, equipment, location or person.
        #[arg(long)]
        subject: String,
        /// The longest validity in days, if limited.
        #[arg(long)]
        max_validity_days: Option<u32>,
    },
    /// Deactivate a schema: no new attestations of it; those issued stay as they are.
    DeactivateSchema {
        /// The schema's id.
        #[arg(long)]
        id: u32,
    },
    /// Replace the GS1 company prefixes an organisation holds.
    SetCompanyPrefixes {
        /// The organisation's id.
        #[arg(long)]
        org: u32,
        /// All its prefixes from now on, comma-separated (none: withdraw all).
        #[arg(long, value_delimiter = ',')]
        prefixes: Vec<String>,
    },
}

/// `yima governance propose admit-organisation`.
#[derive(Args)]
pub(crate) struct AdmitArgs {
    /// Its name.
    #[arg(long)]
    name: String,
    /// What it is: regulator, customs, cdc, manufacturer, importer, producer, processor, cold_warehouse,
    /// supervised_warehouse, carrier, distributor, retailer, caterer, pharmacy, hospital, vaccination_site, …
    #[arg(long)]
    kind: String,
    /// Its unified social credit code (18 characters, GB 32100 check character).
    #[arg(long)]
    uscc: String,
    /// Its first account (0x… public key; `yima key generate` makes one), Admin and Operator.
    #[arg(long)]
    admin: String,
    /// The GS1 company prefixes it holds, comma-separated (attested by the approving regulators).
    #[arg(long, value_delimiter = ',')]
    prefixes: Vec<String>,
}

/// What a governance transaction did, from its proven events.
#[derive(Serialize)]
struct Outcome<'a> {
    #[serde(flatten)]
    included: &'a Included,
    /// The proposal proposed or approved.
    proposal: Option<u32>,
    /// Whether it was carried out in this transaction.
    executed: bool,
}

/// Runs `yima governance …`.
pub(crate) async fn run(g: &Global, command: GovernanceCommand) -> CmdResult {
    let call = match command {
        GovernanceCommand::Propose(p) => yima_membership::Call::Propose { action: action(p)? },
        GovernanceCommand::Approve { id } => yima_membership::Call::Approve { id },
    };
    let (included, client, anchor) = sign_and_wait(g, RuntimeCall::Membership(call)).await?;
    if included.error.is_some() {
        report(g, &included)?;
        included.into_result()?;
        return Ok(());
    }
    let mut proposal = None;
    let mut executed = false;
    for event in client.events_of(&included, &anchor).await? {
        match event {
            RuntimeEvent::Membership(yima_membership::Event::Proposed { id, .. })
            | RuntimeEvent::Membership(yima_membership::Event::Approved { id, .. }) => {
                proposal = Some(id)
            }
            RuntimeEvent::Membership(yima_membership::Event::ProposalExecuted { .. }) => {
                executed = true
            }
            _ => {}
        }
    }
    if g.json {
        return output::json(&Outcome {
            included: &included,
            proposal,
            executed,
        });
    }
    report(g, &included)?;
    match (proposal, executed) {
        (Some(id), true) => println!("proposal    {id}: carried out (its events proven)"),
        (Some(id), false) => println!(
            "proposal    {id}: open, waiting for more approvals (`yima governance approve --id {id}`)"
        ),
        (None, _) => println!("proposal    none named in the transaction's events"),
    }
    Ok(())
}

fn action(p: ProposeCommand) -> Result<Action, Failure> {
    Ok(match p {
        ProposeCommand::AdmitOrganisation(a) => Action::AdmitOrganisation {
            name: a.name.into_bytes(),
            kind: kind(&a.kind)?,
            uscc: Uscc::parse(&a.uscc).map_err(|e| format!("{:?} is not a USCC: {e}", a.uscc))?,
            admin: account(&a.admin)?,
            prefixes: prefixes(&a.prefixes)?,
        },
        ProposeCommand::SetThreshold { threshold } => Action::SetThreshold { threshold },
        ProposeCommand::SetValidators { validators } => Action::SetValidators {
            validators: validators
                .iter()
                .map(|v| validator(v))
                .collect::<Result<_, _>>()?,
        },
        ProposeCommand::ForceRotateKey { old, new } => Action::ForceRotateKey {
            old: account(&old)?,
            new: account(&new)?,
        },
        ProposeCommand::SetRoles {
            account: a,
            roles: r,
        } => Action::SetRoles {
            account: account(&a)?,
            roles: roles(&r)?,
        },
        ProposeCommand::ReinstateAccount { account: a } => Action::ReinstateAccount {
            account: account(&a)?,
        },
        ProposeCommand::ReinstateOrganisation { org } => Action::ReinstateOrganisation { org },
        ProposeCommand::RegisterSchema {
            name,
            schema_version: version,
            issuers,
            subject,
            max_validity_days,
        } => dispatch(RuntimeCall::Attestation(
            yima_attestation::Call::RegisterSchema {
                name: name.into_bytes(),
                version,
                issuers: issuers
                    .iter()
                    .map(|k| kind(k.trim()))
                    .collect::<Result<_, _>>()?,
                subject: subject_kind(&subject)?,
                max_validity_days,
            },
        )),
        ProposeCommand::DeactivateSchema { id } => dispatch(RuntimeCall::Attestation(
            yima_attestation::Call::DeactivateSchema { id },
        )),
        ProposeCommand::SetCompanyPrefixes { org, prefixes: p } => Action::SetCompanyPrefixes {
            org,
            prefixes: prefixes(&p)?,
        },
        ProposeCommand::DrugPolicy {
            max_packs_per_sale,
            window_packs,
            window_days,
            no_batch_records,
        } => {
            let policy = yima_drug::types::DrugPolicy {
                max_packs_per_sale,
                window_packs,
                window_ms: window_days
                    .checked_mul(yima_attestation::DAY_MS)
                    .ok_or_else(|| {
                        Failure::from(format!("--window-days {window_days} is too long"))
                    })?,
                require_batch_records: !no_batch_records,
            };
            dispatch(RuntimeCall::Drug(yima_drug::Call::SetPolicy { policy }))
        }
    })
}

/// A root call, carried out when the proposal passes.
fn dispatch(call: RuntimeCall) -> Action {
    Action::Dispatch {
        call: parity_scale_codec::Encode::encode(&call),
    }
}

fn subject_kind(text: &str) -> Result<yima_attestation::types::SubjectKind, Failure> {
    use yima_attestation::types::SubjectKind;
    Ok(match text.trim().to_ascii_lowercase().as_str() {
        "code" => SubjectKind::Code,
        "lot" => SubjectKind::Lot,
        "organisation" | "organization" | "org" => SubjectKind::Organisation,
        "equipment" => SubjectKind::Equipment,
        "location" => SubjectKind::Location,
        "person" => SubjectKind::Person,
        other => {
            return Err(format!(
                "unknown subject kind {other:?}: use code, lot, organisation, equipment, location or person"
            )
            .into())
        }
    })
}

fn kind(text: &str) -> Result<OrgKind, Failure> {
    serde_json::from_value(serde_json::Value::String(text.replace('-', "_"))).map_err(|_| {
        Failure::from(format!(
            "unknown organisation kind {text:?}: see `yima governance propose admit-organisation --help`"
        ))
    })
}

fn prefixes(texts: &[String]) -> Result<Vec<CompanyPrefix>, Failure> {
    texts
        .iter()
        .filter(|t| !t.trim().is_empty())
        .map(|t| {
            CompanyPrefix::parse(t.trim())
                .map_err(|e| Failure::from(format!("{t:?} is not a GS1 company prefix: {e}")))
        })
        .collect()
}

fn validator(text: &str) -> Result<Validator, Failure> {
    let (key, power) = match text.split_once(':') {
        Some((k, p)) => (
            k,
            p.parse::<u64>().map_err(|_| {
                format!("{text:?}: the power after ':' must be a positive whole number")
            })?,
        ),
        None => (text, 1),
    };
    Ok(Validator {
        key: account(key)?,
        power,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_prefixes_and_validators_read_as_people_write_them() {
        assert_eq!(kind("cold-warehouse").unwrap(), OrgKind::ColdWarehouse);
        assert_eq!(kind("pharmacy").unwrap(), OrgKind::Pharmacy);
        assert!(kind("bank")
            .unwrap_err()
            .message
            .contains("unknown organisation kind"));
        let key = format!("0x{}", "11".repeat(32));
        assert_eq!(validator(&key).unwrap().power, 1);
        assert_eq!(validator(&format!("{key}:5")).unwrap().power, 5);
        assert!(validator(&format!("{key}:x")).is_err());
        assert!(prefixes(&["".into()]).unwrap().is_empty());
    }
}
