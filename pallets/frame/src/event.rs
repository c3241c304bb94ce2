//! Events: what a block records besides state. Custody hops are events, committed by the header's `events_root`.

use parity_scale_codec::{Decode, Encode};

/// When in the block an event was deposited.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
pub enum Phase {
    /// Before the first transaction (`on_initialize` hooks).
    #[codec(index = 0)]
    Initialization,
    /// While applying the transaction at this index of the block body.
    #[codec(index = 1)]
    ApplyExtrinsic(u32),
    /// After the last transaction (`on_finalize` hooks).
    #[codec(index = 2)]
    Finalization,
}

/// One event of a block with the phase it was deposited in; its SCALE encoding is a leaf of `events_root`.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode)]
pub struct EventRecord<E> {
    /// When it happened.
    pub phase: Phase,
    /// The runtime event.
    pub event: E,
}

/// An event as the externalities keep it: its phase and the SCALE bytes of the runtime event.
///
/// `phase.encode() ++ event` is exactly the SCALE encoding of the matching [`EventRecord`], so a block's events
/// are hashed without decoding them.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RawEvent {
    /// When it happened.
    pub phase: Phase,
    /// SCALE bytes of the runtime event.
    pub event: Vec<u8>,
}

impl RawEvent {
    /// The SCALE encoding of the [`EventRecord`] this raw event stands for.
    pub fn record_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(5 + self.event.len());
        self.phase.encode_to(&mut out);
        out.extend_from_slice(&self.event);
        out
    }

    /// Decodes into a typed record.
    pub fn decode<E: Decode>(&self) -> Result<EventRecord<E>, parity_scale_codec::Error> {
        Ok(EventRecord {
            phase: self.phase,
            event: E::decode(&mut &self.event[..])?,
        })
    }
}

/// Declares a runtime's event enum — one variant per pallet at a stable SCALE index — and the `From` impls that
/// let each pallet deposit its own events into it (what Substrate's `construct_runtime!` does for events).
///
/// ```
/// # mod system { #[derive(Clone, PartialEq, Eq, Debug, parity_scale_codec::Encode, parity_scale_codec::Decode)] pub struct Event; }
/// yima_frame::runtime_event! {
///     /// The runtime's events.
///     pub enum RuntimeEvent {
///         /// System events.
///         System(system::Event) = 0,
///     }
/// }
/// let e: RuntimeEvent = system::Event.into();
/// assert_eq!(e, RuntimeEvent::System(system::Event));
/// ```
#[macro_export]
macro_rules! runtime_event {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident($event:ty) = $index:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone, PartialEq, Eq, Debug, $crate::codec::Encode, $crate::codec::Decode,
        )]
        #[codec(crate = $crate::codec)]
        $vis enum $name {
            $( $(#[$vmeta])* #[codec(index = $index)] $variant($event), )+
        }

        $(
            impl From<$event> for $name {
                fn from(e: $event) -> Self {
                    $name::$variant(e)
                }
            }
        )+
    };
}
