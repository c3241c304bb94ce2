//! Signed transactions for the Testnet tests and `yima-bench`: a product registered by an operator of the
//! `local` preset's manufacturer, and custody events — commissioning new items of one lot, one code per event —
//! signed as trace `capture` calls of 1 or more events each.

use ed25519_dalek::SigningKey;
use yima_chain_spec::{dev_keys, presets::PRESET_GENESIS_TIME, ChainSpec};
use yima_codes::{Gtin, LotNumber, ProductId, SerialNumber, TraceCode};
use yima_frame::{Hash, Role, Roles};
use yima_membership::{GenesisAccount, Uscc};
use yima_runtime::{RuntimeCall, SignedTransaction, SPEC_VERSION};
use yima_trace::epcis::{Action, BizStep, EpcisEvent, EventBody, Ilmd};
use yima_trace::types::{Category, LotKey};

/// USCC of the `local` (and `demo`) preset's manufacturer.
pub const MANUFACTURER_USCC: &str = "91330100MA2Y00303G";

/// Dev key name of the `local` preset's manufacturer account (Admin + Operator).
pub const MANUFACTURER: &str = "dave";

const DAY_MS: u64 = 86_400_000;

/// The product every workload commissions.
pub fn product() -> Gtin {
    Gtin::parse("09521234543213").expect("a valid GTIN-14")
}

/// The lot every workload commissions into.
pub fn lot() -> LotKey {
    LotKey {
        product: ProductId::Gtin(product()),
        lot: LotNumber::parse("LOAD1").expect("a valid lot number"),
    }
}

/// Registers [`product`] (an Operator of a manufacturer signs it).
pub fn register_product() -> RuntimeCall {
    RuntimeCall::Trace(yima_trace::Call::RegisterProduct {
        product: ProductId::Gtin(product()),
        name: b"Testnet load product".to_vec(),
        category: Category::Food,
        temperature: None,
        shelf_life_days: 3_650,
    })
}

/// Item `serial` of [`product`]; `serial` uses GS1 character set 82, at most 20 characters.
pub fn item(serial: &str) -> TraceCode {
    TraceCode::Sgtin {
        gtin: product(),
        serial: SerialNumber::parse(serial).expect("a valid serial number"),
    }
}

/// Commissioning `code` into [`lot`], dated at the presets' genesis time (always in the past).
pub fn commission(code: TraceCode) -> EpcisEvent {
    let mut e = EpcisEvent::new(
        EventBody::Object {
            action: Action::Add,
            epcs: vec![code],
            quantities: vec![],
        },
        PRESET_GENESIS_TIME,
        480,
        BizStep::Commissioning,
    );
    e.ilmd = Some(Ilmd {
        lot: lot(),
        production_date: PRESET_GENESIS_TIME - DAY_MS,
        expiry: PRESET_GENESIS_TIME + 3_650 * DAY_MS,
    });
    e
}

/// A trace `capture` of `events`.
pub fn capture(events: Vec<EpcisEvent>) -> RuntimeCall {
    RuntimeCall::Trace(yima_trace::Call::Capture { events })
}

/// A key with the next nonce it signs with.
pub struct Signer {
    key: SigningKey,
    nonce: u64,
}

impl Signer {
    /// Dev key `name`, starting at nonce `nonce`.
    pub fn dev(name: &str, nonce: u64) -> Self {
        Self {
            key: dev_keys::dev_key(name),
            nonce,
        }
    }

    /// Signs `call` for the chain `genesis` with the next nonce, valid until block
    /// [`yima_system::DEFAULT_MAX_VALIDITY_BLOCKS`] (the latest a transaction may name at the chain's start:
    /// longer than any test network runs).
    pub fn sign(&mut self, genesis: &Hash, call: RuntimeCall) -> SignedTransaction {
        let tx = SignedTransaction::sign(
            &self.key,
            genesis,
            SPEC_VERSION,
            self.nonce,
            yima_system::DEFAULT_MAX_VALIDITY_BLOCKS,
            call,
        );
        self.nonce += 1;
        tx
    }
}

/// Adds `names` (dev keys) as Operator accounts of the organisation with USCC `uscc` to `spec`'s genesis.
pub fn add_operators(spec: &mut ChainSpec, uscc: &str, names: &[String]) {
    let uscc = Uscc::parse(uscc).expect("a valid USCC");
    for name in names {
        spec.genesis.membership.accounts.push(GenesisAccount {
            account: dev_keys::dev_account(name),
            uscc,
            roles: Roles::of(&[Role::Operator]),
        });
    }
}
