//! Untrusted consensus bytes → every type `YimaCodec` decodes (what the engine takes from the network, value sync
//! and its write-ahead log): must never panic, and whatever decodes must encode, decode again and encode to the
//! same bytes. The first byte picks the type.
#![no_main]

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use malachitebft_app_channel::app::consensus::LivenessMsg;
use malachitebft_app_channel::app::streaming::StreamMessage;
use malachitebft_app_channel::app::types::codec::Codec;
use malachitebft_app_channel::app::types::sync;
use malachitebft_app_channel::app::types::{ProposedValue, SignedConsensusMsg};
use malachitebft_core_types::{PolkaCertificate, ValidatorProof};
use yima_consensus::context::ProposalPart;
use yima_consensus::{YimaCodec, YimaContext};

/// Decodes `data` as a `T`; when it decodes, encode → decode → encode must be stable.
fn check<T>(data: &[u8])
where
    YimaCodec: Codec<T>,
{
    let Ok(value) = Codec::<T>::decode(&YimaCodec, Bytes::copy_from_slice(data)) else {
        return;
    };
    let once = Codec::<T>::encode(&YimaCodec, &value).expect("a decoded value encodes");
    let again = Codec::<T>::decode(&YimaCodec, once.clone()).expect("an encoded value decodes");
    let twice = Codec::<T>::encode(&YimaCodec, &again).expect("a decoded value encodes");
    assert_eq!(once, twice, "encode → decode → encode must be stable");
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    match which % 10 {
        0 => check::<ProposalPart>(rest),
        1 => check::<SignedConsensusMsg<YimaContext>>(rest),
        2 => check::<LivenessMsg<YimaContext>>(rest),
        3 => check::<StreamMessage<ProposalPart>>(rest),
        4 => check::<ValidatorProof<YimaContext>>(rest),
        5 => check::<ProposedValue<YimaContext>>(rest),
        6 => check::<PolkaCertificate<YimaContext>>(rest),
        7 => check::<sync::Status<YimaContext>>(rest),
        8 => check::<sync::Request<YimaContext>>(rest),
        _ => check::<sync::Response<YimaContext>>(rest),
    }
});
