//! `yima tx <pallet> <call> …` and `yima attest`: common calls of the membership, trace and attestation
//! pallets, and `tx raw` for any call (SCALE hex of a `RuntimeCall`, or a whole signed transaction).

use std::path::PathBuf;

use clap::{Args, Subcommand};
use parity_scale_codec::DecodeLimit;
use yima_attestation::Subject;
use yima_client::submit::{submit_and_wait, Included};
use yima_client::Signed;
use yima_codes::{LotNumber, ProductId, TraceCode};
use yima_frame::{sha256, AccountId, Hash, Role, Roles};
use yima_runtime::{RuntimeCall, RuntimeEvent, SignedTransaction};
use yima_trace::types::{Category, LotKey, TemperatureRange};

use crate::common::{CmdResult, Failure, Global};
use crate::output;

/// Pallets.
#[derive(Subcommand)]
pub(crate) enum TxCommand {
    /// Organisations' accounts and governance.
    #[command(subcommand)]
    Membership(MembershipCall),
    /// Products and recalls (custody events: `yima import`).
    #[command(subcommand)]
    Trace(TraceCall),
    /// Attestations.
    #[command(subcommand)]
    Attestation(AttestationCall),
    /// Any call: the SCALE hex of a `RuntimeCall` (signed with --key), or with --signed a whole signed
    /// transaction (submitted as is).
    Raw {
        /// Hex, with or without 0x.
        hex: String,
        /// The hex is a complete `SignedTransaction`.
        #[arg(long)]
        signed: bool,
    },
}

/// Membership calls.
#[derive(Subcommand)]
pub(crate) enum MembershipCall {
    /// Add an account to the signer's organisation (signer: Admin).
    AddAccount {
        /// The account (0x… public key).
        #[arg(long)]
        account: String,
        /// Roles, comma-separated: admin, operator, inspector, governance.
        #[arg(long, value_delimiter = ',')]
        roles: Vec<String>,
    },
    /// Change an account's roles (signer: Admin of its organisation).
    SetRoles {
        /// The account.
        #[arg(long)]
        account: String,
        /// Roles, comma-separated.
        #[arg(long, value_delimiter = ',')]
        roles: Vec<String>,
    },
    /// Suspend an account.
    SuspendAccount {
        /// The account.
        #[arg(long)]
        account: String,
    },
    /// Reinstate a suspended account.
    ReinstateAccount {
        /// The account.
        #[arg(long)]
        account: String,
    },
    /// Suspend an organisation (signer: a Governance account of another, active regulator organisation): none
    /// of its accounts may sign until the same regulator, or an approved proposal, reinstates it.
    SuspendOrganisation {
        /// The organisation's id (`yima records organisation USCC` shows it).
        #[arg(long)]
        org: u32,
    },
    /// Reinstate an organisation (signer: a Governance account of the regulator organisation that suspended it;
    /// otherwise `yima governance propose reinstate-organisation`).
    ReinstateOrganisation {
        /// The organisation's id.
        #[arg(long)]
        org: u32,
    },
    /// Approve a governance proposal (signer: a regulator's Governance account).
    Approve {
        /// The proposal id.
        #[arg(long)]
        id: u32,
    },
}

/// Trace calls.
#[derive(Subcommand)]
pub(crate) enum TraceCall {
    /// Register a product (GTIN or NMPA product code).
    RegisterProduct {
        /// GTIN (8–14 digits) or NMPA product code.
        #[arg(long)]
        product: String,
        /// Its name.
        #[arg(long)]
        name: String,
        /// vaccine, cold-chain-food, food, drug or other.
        #[arg(long)]
        category: String,
        /// Allowed temperature band: `vaccine` (2–8 °C), `chilled` (0–4 °C), `frozen` (−18 °C or colder) or
        /// `MIN..MAX` in °C (e.g. `-25..-15`). Vaccines default to 2–8 °C; imported cold-chain food must name
        /// one; other goods have none unless given. Readings outside it raise excursion alerts.
        #[arg(long, allow_hyphen_values = true)]
        temperature: Option<String>,
        /// Shelf life in days.
        #[arg(long, default_value_t = 365)]
        shelf_life_days: u32,
    },
    /// Approve a vaccine, drug or imported cold-chain food (signer: a regulator's Operator or Governance
    /// account); codes of it may be commissioned from then on.
    ApproveProduct {
        /// GTIN or NMPA product code.
        #[arg(long)]
        product: String,
        /// The licence or registration document (its SHA-256 goes on chain; keep the document off chain).
        #[arg(long)]
        licence: String,
    },
    /// Correct a product's category or owner (signer: a regulator's Operator or Governance account).
    CorrectProduct {
        /// GTIN or NMPA product code.
        #[arg(long)]
        product: String,
        /// Its category from now on: vaccine, cold-chain-food, food, drug or other.
        #[arg(long)]
        category: String,
        /// Its owner organisation id from now on.
        #[arg(long)]
        owner: u32,
        /// Its temperature band from now on (as for register-product); omitted: keep the current one. A vaccine
        /// or imported cold-chain food must end up with one.
        #[arg(long, allow_hyphen_values = true)]
        temperature: Option<String>,
        /// The decision (hashed).
        #[arg(long)]
        reason: String,
    },
    /// Recall a lot (`{product}/{lot}`).
    RecallLot {
        /// The lot, as `{product}/{lot}`.
        #[arg(long)]
        lot: String,
        /// The reason (its SHA-256 goes on chain; keep the text off chain).
        #[arg(long)]
        reason: String,
    },
    /// Recall one code.
    RecallCode {
        /// The code, in any scanned form.
        #[arg(long)]
        code: String,
        /// The reason (hashed).
        #[arg(long)]
        reason: String,
    },
    /// Clear a code's temperature-excursion flag after inspection (signer: a regulator's Operator or Governance
    /// account), citing the decision: the code may be sold, served or administered again; the excursion stays in
    /// its history with the clearance beside it.
    ClearExcursion {
        /// The code, in any scanned form (a container's clearance covers what it holds).
        #[arg(long)]
        code: String,
        /// The decision (its SHA-256 goes on chain; keep the text off chain).
        #[arg(long)]
        reason: String,
    },
}

/// Attestation calls.
#[derive(Subcommand)]
pub(crate) enum AttestationCall {
    /// Issue an attestation.
    Attest(AttestArgs),
    /// Revoke an attestation.
    Revoke {
        /// The attestation id (0x…).
        #[arg(long)]
        id: String,
        /// The reason (hashed).
        #[arg(long)]
        reason: String,
    },
}

/// An attestation.
#[derive(Args)]
pub(crate) struct AttestArgs {
    /// The schema id.
    #[arg(long)]
    schema: u32,
    /// The subject: `code:CODE`, `lot:PRODUCT/LOT`, `org:USCC`, `equipment:ID`, `location:ID` or
    /// `person:ID` — a resident id, derived under the chain's person-id key (`--id-key`/`--dev-id-key`), or a
    /// pseudonymous id already derived (`0x…`).
    #[arg(long)]
    subject: String,
    #[command(flatten)]
    person_key: crate::person_id::PersonKey,
    /// The document attested (its SHA-256 goes on chain)…
    #[arg(long, conflicts_with = "digest", required_unless_present = "digest")]
    document: Option<PathBuf>,
    /// …or its SHA-256 digest (0x…).
    #[arg(long)]
    digest: Option<String>,
    /// Where the document can be fetched.
    #[arg(long)]
    uri: Option<String>,
    /// Valid from (RFC 3339; default now).
    #[arg(long)]
    valid_from: Option<String>,
    /// Valid until (RFC 3339).
    #[arg(long)]
    valid_until: Option<String>,
}

pub(crate) fn account(text: &str) -> Result<AccountId, Failure> {
    AccountId::from_hex(text)
        .map_err(|e| format!("--account {text:?}: {e}; give the 0x… public key").into())
}

pub(crate) fn roles(names: &[String]) -> Result<Roles, Failure> {
    let roles = names
        .iter()
        .map(|n| match n.trim().to_ascii_lowercase().as_str() {
            "admin" => Ok(Role::Admin),
            "operator" => Ok(Role::Operator),
            "inspector" => Ok(Role::Inspector),
            "governance" => Ok(Role::Governance),
            other => Err(Failure::from(format!(
                "unknown role {other:?}: use admin, operator, inspector or governance"
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Roles::of(&roles))
}

/// A temperature band: `vaccine`, `chilled`, `frozen` or `MIN..MAX` in °C (at most two decimals).
fn temperature_band(text: &str) -> Result<TemperatureRange, Failure> {
    let named = match text.trim().to_ascii_lowercase().as_str() {
        "vaccine" => Some(TemperatureRange::VACCINE),
        "chilled" => Some(TemperatureRange::CHILLED),
        "frozen" => Some(TemperatureRange::FROZEN),
        _ => None,
    };
    if let Some(band) = named {
        return Ok(band);
    }
    let bad = || {
        Failure::from(format!(
            "{text:?} is not a temperature band: use vaccine (2–8 °C), chilled (0–4 °C), frozen (≤ −18 °C) or \
             MIN..MAX in °C, e.g. -25..-15"
        ))
    };
    let (min, max) = text.trim().split_once("..").ok_or_else(bad)?;
    let centi = |s: &str| centi_celsius(s).map_err(|_| bad());
    let band = TemperatureRange {
        min_centi_celsius: centi(min)?,
        max_centi_celsius: centi(max)?,
    };
    if band.min_centi_celsius > band.max_centi_celsius {
        return Err(format!("temperature band {text:?}: the lowest is above the highest").into());
    }
    Ok(band)
}

/// Degrees Celsius as exact decimals (`-18`, `2.5`, `-0.25`; at most two decimals) in the chain's unit, 0.01 °C:
/// no floating point between what a logger printed and what the chain compares.
pub(crate) fn centi_celsius(text: &str) -> Result<i32, Failure> {
    let bad = || {
        Failure::from(format!(
            "{text:?} is not a temperature in °C: write e.g. -18, 2.5 or -0.25 (at most two decimals)"
        ))
    };
    let s = text.trim();
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || whole.len() > 5
        || fraction.len() > 2
        || !all_digits(whole)
        || !all_digits(fraction)
    {
        return Err(bad());
    }
    let hundredths = format!("{fraction:0<2}")
        .parse::<i32>()
        .map_err(|_| bad())?;
    let value = whole.parse::<i32>().map_err(|_| bad())? * 100 + hundredths;
    Ok(if negative { -value } else { value })
}

/// The band a new product is registered with: the one given, else 2–8 °C for a vaccine; imported cold-chain
/// food must name one (frozen or chilled is the importer's to say).
fn registered_band(
    category: Category,
    band: Option<&str>,
) -> Result<Option<TemperatureRange>, Failure> {
    match (band, category) {
        (Some(text), _) => temperature_band(text).map(Some),
        (None, Category::Vaccine) => Ok(Some(TemperatureRange::VACCINE)),
        (None, Category::ColdChainFood) => Err(
            "imported cold-chain food needs --temperature frozen, chilled or MIN..MAX (°C): without a band no \
             reading would raise an excursion alert"
                .to_string()
                .into(),
        ),
        (None, _) => Ok(None),
    }
}

fn category(text: &str) -> Result<Category, Failure> {
    Ok(match text.to_ascii_lowercase().replace('_', "-").as_str() {
        "vaccine" => Category::Vaccine,
        "cold-chain-food" => Category::ColdChainFood,
        "food" => Category::Food,
        "drug" => Category::Drug,
        "other" => Category::Other,
        _ => {
            return Err(format!(
                "unknown category {text:?}: use vaccine, cold-chain-food, food, drug or other"
            )
            .into())
        }
    })
}

/// A trace code in any scanned form.
pub(crate) fn code(text: &str) -> Result<TraceCode, Failure> {
    TraceCode::parse(text).map_err(|e| format!("{text:?} is not a trace code: {e}").into())
}

pub(crate) fn lot(text: &str) -> Result<LotKey, Failure> {
    let (p, l) = text
        .split_once('/')
        .ok_or_else(|| Failure::from(format!("{text:?}: write a lot as {{product}}/{{lot}}")))?;
    Ok(LotKey {
        product: ProductId::parse(p).map_err(|e| format!("{p:?} is not a product id: {e}"))?,
        lot: LotNumber::parse(l).map_err(|e| format!("{l:?} is not a lot number: {e}"))?,
    })
}

pub(crate) fn hash(what: &str, text: &str) -> Result<Hash, Failure> {
    Hash::from_hex(text).map_err(|e| format!("{what} {text:?}: {e}").into())
}

pub(crate) fn moment(text: &str) -> Result<u64, Failure> {
    yima_epcis::datetime::parse_date_time(text).map_err(|e| {
        format!("{text:?} is not an RFC 3339 time (e.g. 2026-11-26T10:00:00+08:00): {e}").into()
    })
}

fn subject(text: &str) -> Result<Subject, Failure> {
    yima_rpc_api::params::parse_subject(text)
        .map_err(|e| Failure::from(format!("--subject: {}", e.0)))
}

fn attest_call(a: AttestArgs, subject: Subject) -> Result<RuntimeCall, Failure> {
    let digest = match (&a.document, &a.digest) {
        (Some(path), _) => {
            sha256(&std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?)
        }
        (None, Some(d)) => hash("--digest", d)?,
        (None, None) => return Err("give --document FILE or --digest".to_string().into()),
    };
    let valid_from = match &a.valid_from {
        Some(t) => moment(t)?,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0),
    };
    Ok(RuntimeCall::Attestation(yima_attestation::Call::Attest {
        schema: a.schema,
        subject,
        digest,
        uri: a.uri.map(String::into_bytes),
        valid_from,
        valid_until: a.valid_until.as_deref().map(moment).transpose()?,
    }))
}

fn decode_hex(text: &str) -> Result<Vec<u8>, Failure> {
    hex::decode(text.trim().trim_start_matches("0x")).map_err(|e| format!("not hex: {e}").into())
}

/// Signs `call` with the signer's next nonce, submits it, waits for its finalized outcome and prints it.
pub(crate) async fn sign_and_submit(g: &Global, call: RuntimeCall) -> CmdResult {
    let (included, _, _) = sign_and_wait(g, call).await?;
    report(g, &included)?;
    included.into_result()?;
    Ok(())
}

/// Signs `call` with the global signer, submits it and waits until it is finalized (its outcome proven); the
/// client and anchor come back for reading its events ([`yima_client::receipt`]).
pub(crate) async fn sign_and_wait(
    g: &Global,
    call: RuntimeCall,
) -> Result<
    (
        Included,
        yima_client::NodeClient,
        yima_consensus::proof::TrustAnchor,
    ),
    Failure,
> {
    let key = g.signer()?;
    let client = g.client()?;
    let (builder, anchor) = g.builder(&client).await?;
    let head = client.finalized_head().await?.number;
    let nonce = client.nonce(&AccountId::from(key.verifying_key())).await?;
    let tx = builder.sign(&key, nonce, head, call);
    let included = submit_and_wait(&client, Some(anchor), &tx, g.timeout()).await?;
    Ok((included, client, anchor))
}

async fn submit(
    g: &Global,
    client: &yima_client::NodeClient,
    anchor: yima_consensus::proof::TrustAnchor,
    tx: &Signed,
) -> CmdResult {
    let included: Included = submit_and_wait(client, Some(anchor), tx, g.timeout()).await?;
    report(g, &included)?;
    included.into_result()?;
    Ok(())
}

/// Prints where a transaction was finalized and its outcome (one JSON document with `--json`).
pub(crate) fn report(g: &Global, included: &Included) -> CmdResult {
    if g.json {
        output::json(included)?;
    } else {
        println!("transaction {}", included.hash);
        println!(
            "finalized   block {} (transaction {})",
            included.block, included.extrinsic
        );
        match &included.error {
            None => println!("outcome     success (proof of its outcome event verified)"),
            Some(e) => println!("outcome     FAILED: {e}"),
        }
    }
    Ok(())
}

/// Issues an attestation and prints its id, read from the transaction's proven `Attested` event (what a
/// later call cites: a test result, a licence, a disposal).
pub(crate) async fn attest(g: &Global, a: AttestArgs) -> CmdResult {
    let subject = match a.subject.strip_prefix("person:") {
        Some(person) => Subject::Person(a.person_key.person(g, person).await?),
        None => subject(&a.subject)?,
    };
    let (included, client, anchor) = sign_and_wait(g, attest_call(a, subject)?).await?;
    if included.error.is_some() {
        report(g, &included)?;
        included.into_result()?;
        return Ok(());
    }
    let id = client
        .events_of(&included, &anchor)
        .await?
        .into_iter()
        .find_map(|e| match e {
            RuntimeEvent::Attestation(yima_attestation::Event::Attested { id, .. }) => Some(id),
            _ => None,
        })
        .ok_or_else(|| {
            Failure::from("the attestation's transaction has no Attested event".to_string())
        })?;
    if g.json {
        #[derive(serde::Serialize)]
        struct Attested<'a> {
            #[serde(flatten)]
            included: &'a Included,
            attestation: Hash,
        }
        return output::json(&Attested {
            included: &included,
            attestation: id,
        });
    }
    report(g, &included)?;
    println!("attestation {id}");
    Ok(())
}

pub(crate) async fn run(g: &Global, command: TxCommand) -> CmdResult {
    let call = match command {
        TxCommand::Membership(c) => RuntimeCall::Membership(match c {
            MembershipCall::AddAccount {
                account: a,
                roles: r,
            } => yima_membership::Call::AddAccount {
                account: account(&a)?,
                roles: roles(&r)?,
            },
            MembershipCall::SetRoles {
                account: a,
                roles: r,
            } => yima_membership::Call::SetRoles {
                account: account(&a)?,
                roles: roles(&r)?,
            },
            MembershipCall::SuspendAccount { account: a } => {
                yima_membership::Call::SuspendAccount {
                    account: account(&a)?,
                }
            }
            MembershipCall::ReinstateAccount { account: a } => {
                yima_membership::Call::ReinstateAccount {
                    account: account(&a)?,
                }
            }
            MembershipCall::SuspendOrganisation { org } => {
                yima_membership::Call::SuspendOrganisation { org }
            }
            MembershipCall::ReinstateOrganisation { org } => {
                yima_membership::Call::ReinstateOrganisation { org }
            }
            MembershipCall::Approve { id } => yima_membership::Call::Approve { id },
        }),
        TxCommand::Trace(c) => RuntimeCall::Trace(match c {
            TraceCall::RegisterProduct {
                product,
                name,
                category: cat,
                temperature: band,
                shelf_life_days,
            } => {
                let category = category(&cat)?;
                yima_trace::Call::RegisterProduct {
                    product: ProductId::parse(&product)
                        .map_err(|e| format!("{product:?} is not a product id: {e}"))?,
                    name: name.into_bytes(),
                    temperature: registered_band(category, band.as_deref())?,
                    category,
                    shelf_life_days,
                }
            }
            TraceCall::ApproveProduct { product, licence } => yima_trace::Call::ApproveProduct {
                product: ProductId::parse(&product)
                    .map_err(|e| format!("{product:?} is not a product id: {e}"))?,
                licence: sha256(licence.as_bytes()),
            },
            TraceCall::CorrectProduct {
                product,
                category: cat,
                owner,
                temperature: band,
                reason,
            } => yima_trace::Call::CorrectProduct {
                product: ProductId::parse(&product)
                    .map_err(|e| format!("{product:?} is not a product id: {e}"))?,
                category: category(&cat)?,
                owner,
                temperature: band.as_deref().map(temperature_band).transpose()?,
                reason: sha256(reason.as_bytes()),
            },
            TraceCall::RecallLot { lot: l, reason } => yima_trace::Call::RecallLot {
                lot: lot(&l)?,
                reason: sha256(reason.as_bytes()),
            },
            TraceCall::RecallCode { code: c, reason } => yima_trace::Call::RecallCode {
                code: code(&c)?,
                reason: sha256(reason.as_bytes()),
            },
            TraceCall::ClearExcursion { code: c, reason } => yima_trace::Call::ClearExcursion {
                code: code(&c)?,
                reason: sha256(reason.as_bytes()),
            },
        }),
        TxCommand::Attestation(AttestationCall::Attest(a)) => return attest(g, a).await,
        TxCommand::Attestation(AttestationCall::Revoke { id, reason }) => {
            RuntimeCall::Attestation(yima_attestation::Call::Revoke {
                id: hash("--id", &id)?,
                reason: sha256(reason.as_bytes()),
            })
        }
        TxCommand::Raw { hex, signed: true } => {
            let bytes = decode_hex(&hex)?;
            let tx =
                SignedTransaction::decode_checked(&bytes, usize::MAX).map_err(|e| e.to_string())?;
            let client = g.client()?;
            let anchor = g.anchor(&client).await?;
            return submit(g, &client, anchor, &Signed::new(tx)).await;
        }
        TxCommand::Raw { hex, signed: false } => {
            let bytes = decode_hex(&hex)?;
            RuntimeCall::decode_all_with_depth_limit(64, &mut &bytes[..])
                .map_err(|e| format!("the hex is not a SCALE RuntimeCall: {e}"))?
        }
    };
    sign_and_submit(g, call).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(min: i32, max: i32) -> TemperatureRange {
        TemperatureRange {
            min_centi_celsius: min,
            max_centi_celsius: max,
        }
    }

    #[test]
    fn temperature_bands_by_name_or_exact_degrees() {
        let ok = |s: &str| temperature_band(s).unwrap_or_else(|e| panic!("{s}: {}", e.message));
        assert_eq!(ok("vaccine"), TemperatureRange::VACCINE);
        assert_eq!(ok("Frozen"), TemperatureRange::FROZEN);
        assert_eq!(ok("chilled"), band(0, 400));
        assert_eq!(ok("-25..-15"), band(-2500, -1500));
        assert_eq!(ok("2.5..8"), band(250, 800));
        assert_eq!(ok("-0.25..+4.1"), band(-25, 410));
        for bad in [
            "",
            "warm",
            "8..2",
            "1.234..5",
            "2..",
            "..8",
            "2-8",
            "nan..inf",
            "1e3..2e3",
            "999999..1000000",
        ] {
            assert!(temperature_band(bad).is_err(), "{bad:?} accepted");
        }
        assert!(temperature_band("8..2")
            .unwrap_err()
            .message
            .contains("lowest is above"));
    }

    #[test]
    fn vaccines_default_to_2_8_and_cold_chain_food_must_name_its_band() {
        assert_eq!(
            registered_band(Category::Vaccine, None).unwrap(),
            Some(TemperatureRange::VACCINE)
        );
        let refused = registered_band(Category::ColdChainFood, None).unwrap_err();
        assert!(
            refused.message.contains("--temperature frozen, chilled"),
            "{}",
            refused.message
        );
        assert_eq!(
            registered_band(Category::ColdChainFood, Some("frozen")).unwrap(),
            Some(TemperatureRange::FROZEN)
        );
        assert_eq!(registered_band(Category::Food, None).unwrap(), None);
    }
}
