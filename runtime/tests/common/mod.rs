//! A small in-memory chain for executive tests: genesis from a local config, blocks built and committed.

#![allow(dead_code, unreachable_pub)]

pub mod trace;

use std::sync::Arc;

use ed25519_dalek::SigningKey;
use yima_frame::state::{MemoryState, StateBackend};
use yima_frame::{sha256, AccountId, Role, Roles};
use yima_membership::{
    GenesisAccount, GenesisConfig, GenesisOrganisation, OrgKind, Uscc, Validator,
};
use yima_runtime::executive::BuiltBlock;
use yima_runtime::{
    build_genesis, ChainContext, Executive, Header, RuntimeCall, RuntimeGenesisConfig,
    SignedTransaction, SPEC_VERSION,
};

pub const REGULATOR: &str = "11330100MA2Y00000E";
pub const MANUFACTURER: &str = "91330100MA2Y00303G";
pub const RETAILER: &str = "91330100MA2Y011117";

pub fn key(name: &str) -> SigningKey {
    SigningKey::from_bytes(&sha256(format!("test //{name}").as_bytes()).0)
}

pub fn account(name: &str) -> AccountId {
    AccountId::from(key(name).verifying_key())
}

pub fn genesis_config(extra_accounts: &[(&str, &str, &[Role])]) -> RuntimeGenesisConfig {
    let org = |name: &str, kind, code: &str| GenesisOrganisation {
        name: name.into(),
        kind,
        uscc: Uscc::parse(code).unwrap(),
        prefixes: vec![],
    };
    let acc = |name: &str, code: &str, roles: &[Role]| GenesisAccount {
        account: account(name),
        uscc: Uscc::parse(code).unwrap(),
        roles: Roles::of(roles),
    };
    let gov = [Role::Admin, Role::Governance];
    let mut accounts = vec![
        acc("reg1", REGULATOR, &gov),
        acc("reg2", REGULATOR, &gov),
        acc("reg3", REGULATOR, &gov),
        acc("maker", MANUFACTURER, &[Role::Admin, Role::Operator]),
        acc("worker", MANUFACTURER, &[Role::Operator]),
    ];
    for (name, code, roles) in extra_accounts {
        accounts.push(acc(name, code, roles));
    }
    RuntimeGenesisConfig {
        timestamp: 1_000,
        system: Default::default(),
        trace: Default::default(),
        attestation: Default::default(),
        membership: GenesisConfig {
            organisations: vec![
                org("Regulator", OrgKind::Regulator, REGULATOR),
                org("Maker", OrgKind::Manufacturer, MANUFACTURER),
            ],
            accounts,
            validators: vec![Validator {
                key: account("validator"),
                power: 1,
            }],
            regulator_threshold: 2,
            proposal_lifetime: 100,
        },
    }
}

/// One node's view of a chain: its state, its head and the executive.
pub struct Chain {
    pub state: Arc<MemoryState>,
    pub head: Header,
    pub exec: Executive,
    pub genesis: Header,
}

impl Chain {
    pub fn new() -> Self {
        Self::with_config(&genesis_config(&[]))
    }

    pub fn with_config(config: &RuntimeGenesisConfig) -> Self {
        let state = Arc::new(MemoryState::new());
        let genesis = build_genesis(config, state.clone()).unwrap();
        state.commit(genesis.update).unwrap();
        let exec = Executive::new(ChainContext {
            genesis_hash: genesis.header.hash(),
            spec_version: SPEC_VERSION,
        });
        Chain {
            state,
            head: genesis.header.clone(),
            exec,
            genesis: genesis.header,
        }
    }

    pub fn backend(&self) -> Arc<dyn StateBackend> {
        self.state.clone()
    }

    pub fn ctx(&self) -> ChainContext {
        self.exec.context()
    }

    /// Signs `call` as `name` with its next nonce (read from state).
    pub fn sign(&self, name: &str, call: RuntimeCall) -> SignedTransaction {
        let nonce = self.nonce(&account(name));
        self.sign_with(name, nonce, call)
    }

    pub fn sign_with(&self, name: &str, nonce: u64, call: RuntimeCall) -> SignedTransaction {
        SignedTransaction::sign(
            &key(name),
            &self.ctx().genesis_hash,
            SPEC_VERSION,
            nonce,
            self.head.number + 10,
            call,
        )
    }

    pub fn nonce(&self, who: &AccountId) -> u64 {
        use yima_frame::storage::StorageMap;
        let mut ext = yima_frame::externalities::Externalities::new(self.backend());
        ext.execute_with(|| yima_system::Nonces::get(who).unwrap_or(0))
    }

    /// Builds the next block (proposer: the validator), a second after the head, without committing it.
    pub fn build(&self, txs: Vec<SignedTransaction>) -> BuiltBlock {
        self.build_at(self.head.timestamp + 1_000, txs)
    }

    /// Builds the next block at `timestamp` without committing it.
    pub fn build_at(&self, timestamp: u64, txs: Vec<SignedTransaction>) -> BuiltBlock {
        self.exec
            .build_block(
                self.backend(),
                &self.head,
                account("validator"),
                timestamp,
                txs,
                &|_| false,
            )
            .unwrap()
    }

    /// Builds and commits the next block.
    pub fn produce(&mut self, txs: Vec<SignedTransaction>) -> BuiltBlock {
        self.produce_at(self.head.timestamp + 1_000, txs)
    }

    /// Builds and commits the next block at `timestamp` (tests that need days to pass).
    pub fn produce_at(&mut self, timestamp: u64, txs: Vec<SignedTransaction>) -> BuiltBlock {
        let built = self.build_at(timestamp, txs);
        self.state.commit(built.update.clone()).unwrap();
        self.head = built.block.header.clone();
        built
    }

    /// Reads state through the runtime's storage types.
    pub fn read<R>(&self, f: impl FnOnce() -> R) -> R {
        let mut ext = yima_frame::externalities::Externalities::new(self.backend());
        ext.execute_with(f)
    }
}
