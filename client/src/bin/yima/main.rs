//! `yima`: the command line of a Yima chain — keys, signed transactions, EPCIS and CSV imports, trace, recall,
//! audit bundles and their offline verification, EPCIS export, alerts. `--json` on every command prints one JSON
//! document for scripts; otherwise tables for people. Exit status: 0 success, 1 failure, 2 usage, 3 a bundle
//! that does not verify.

mod audit;
mod cold_chain;
mod common;
mod epcis_io;
mod equipment;
mod food;
mod governance;
mod key;
mod label;
mod output;
mod person_id;
mod pharmacy;
mod query;
mod records;
mod tx;
mod vaccine;

use clap::{Parser, Subcommand};

use common::Global;

/// The command line of a Yima chain.
#[derive(Parser)]
#[command(name = "yima", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Account keys: generate, inspect, rotate.
    #[command(subcommand)]
    Key(key::KeyCommand),
    /// Sign and submit a pallet call, and wait until it is finalized.
    #[command(subcommand)]
    Tx(tx::TxCommand),
    /// Issue an attestation (same as `tx attestation attest`).
    Attest(tx::AttestArgs),
    /// Import custody events: EPCIS 2.0 JSON-LD documents or CSV custody logs.
    #[command(subcommand)]
    Import(epcis_io::ImportCommand),
    /// Export a code's or a lot's custody events as an EPCIS 2.0 JSON-LD document.
    #[command(subcommand)]
    Export(epcis_io::ExportCommand),
    /// A code's history (一码统管): every hop, its containers, what it was made from and into.
    Trace(query::TraceArgs),
    /// Every downstream code of a lot or code with its holder (一键排查).
    Recall(query::RecallArgs),
    /// Write the audit bundle of a code: every hop of its trace with its proof.
    Proof(audit::ProofArgs),
    /// Verify an audit bundle offline against a chain spec (no network).
    Verify(audit::VerifyArgs),
    /// Alerts (refusals, excursions, positive tests…) as blocks are finalized.
    Alerts(query::AlertsArgs),
    /// Show an attestation (read from state with its proof checked).
    Attestation(query::AttestationArgs),
    /// The node's finalized height, pool and version.
    Health,
    /// Regulators' M-of-N decisions: propose (admit an organisation, validators, threshold, …), approve.
    #[command(subcommand)]
    Governance(governance::GovernanceCommand),
    /// Pharmacies, hospitals and drug makers: drug registry, pharmacists, prescriptions, dispensing, compound
    /// sales within the purchase limits, batch black boxes.
    #[command(subcommand)]
    Pharmacy(pharmacy::PharmacyCommand),
    /// Imported cold-chain food: customs entry and clearance, cold-chain codes, carriers' legs with their
    /// temperatures, positive tests, holds.
    #[command(subcommand)]
    ColdChain(cold_chain::ColdChainCommand),
    /// Food: inspection bodies' test results (a fail holds the lot and its products), canteens' use,
    /// regulators' release or disposal of a held lot.
    #[command(subcommand)]
    Food(food::FoodCommand),
    /// Special equipment (电梯一码): register a unit, name its maintenance firm, stop it or return it to
    /// service, record a maintenance or an inspection.
    #[command(subcommand)]
    Equipment(equipment::EquipmentCommand),
    /// Vaccination sites: a dose administered, its 7-in-one record.
    #[command(subcommand)]
    Vaccine(vaccine::VaccineCommand),
    /// Pseudonymous person ids: derive them from resident ids under the chain's key, make a chain's key.
    #[command(subcommand)]
    PersonId(person_id::PersonIdCommand),
    /// Read back what the domain commands wrote, proven: record cards, purchase windows, prescriptions,
    /// pharmacists, black boxes, customs entries, attestations by subject, equipment, organisations.
    #[command(subcommand)]
    Records(records::RecordsCommand),
    /// Printable label sheets: each code's Digital Link URL as a QR code (A4 SVG, optional PNGs).
    Label(label::LabelArgs),
}

fn main() {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            std::process::exit(1);
        }
    };
    let g = cli.global;
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Key(c) => key::run(&g, c).await,
            Command::Tx(c) => tx::run(&g, c).await,
            Command::Attest(a) => tx::attest(&g, a).await,
            Command::Import(c) => epcis_io::import(&g, c).await,
            Command::Export(epcis_io::ExportCommand::Epcis(a)) => epcis_io::export(&g, a).await,
            Command::Trace(a) => query::trace(&g, a).await,
            Command::Recall(a) => query::recall(&g, a).await,
            Command::Proof(a) => audit::proof(&g, a).await,
            Command::Verify(a) => audit::verify(&g, a),
            Command::Alerts(a) => query::alerts(&g, a).await,
            Command::Attestation(a) => query::attestation(&g, a).await,
            Command::Health => query::health(&g).await,
            Command::Label(a) => label::run(&g, a),
            Command::PersonId(c) => person_id::run(&g, c).await,
            Command::Governance(c) => governance::run(&g, c).await,
            Command::Pharmacy(c) => pharmacy::run(&g, c).await,
            Command::Vaccine(c) => vaccine::run(&g, c).await,
            Command::Food(c) => food::run(&g, c).await,
            Command::ColdChain(c) => cold_chain::run(&g, c).await,
            Command::Equipment(c) => equipment::run(&g, c).await,
            Command::Records(c) => records::run(&g, c).await,
        }
    });
    if let Err(e) = result {
        eprintln!("error: {}", e.message);
        std::process::exit(e.code);
    }
}

#[cfg(test)]
mod tests {
    /// clap checks a command's arguments only when that command is parsed: check every one of them here
    /// (unique names, no clash with the global flags or the generated `--version`/`--help`).
    #[test]
    fn every_command_s_arguments_are_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
