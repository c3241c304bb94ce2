//! Typed storage over the [externalities](crate::externalities).
//!
//! A storage item is a zero-sized type declared with [`storage!`](crate::storage!); its key prefix is
//! `"<Pallet>:<Item>:"` (names never contain `:`, so no prefix is a prefix of another item's). Map keys follow the
//! prefix SCALE-encoded, so a map can be scanned and a double map scanned by its first key. Values are SCALE.
//!
//! A value that is present but does not decode means state was written by incompatible code: that is a broken
//! node, not bad input, and it panics with the key.

use parity_scale_codec::{Decode, Encode, FullCodec};

use crate::externalities as ext;

fn decode_or_panic<V: Decode>(key: &[u8], bytes: &[u8]) -> V {
    V::decode(&mut &bytes[..]).unwrap_or_else(|e| {
        panic!(
            "storage value under key 0x{} does not decode ({e}): state written by incompatible code",
            hex::encode(key)
        )
    })
}

fn map_key<K: Encode + ?Sized>(prefix: &[u8], key: &K) -> Vec<u8> {
    let mut out = Vec::with_capacity(prefix.len() + key.size_hint());
    out.extend_from_slice(prefix);
    key.encode_to(&mut out);
    out
}

/// A single typed value.
pub trait StorageValue {
    /// The stored type.
    type Value: FullCodec;
    /// The full storage key.
    const KEY: &'static [u8];

    /// The value, if set.
    fn get() -> Option<Self::Value> {
        ext::get(Self::KEY).map(|b| decode_or_panic(Self::KEY, &b))
    }

    /// The value, or its default when unset.
    fn get_or_default() -> Self::Value
    where
        Self::Value: Default,
    {
        Self::get().unwrap_or_default()
    }

    /// Sets the value.
    fn put(value: &Self::Value) {
        ext::set(Self::KEY.to_vec(), value.encode())
    }

    /// Removes the value.
    fn kill() {
        ext::clear(Self::KEY.to_vec())
    }

    /// Whether the value is set.
    fn exists() -> bool {
        ext::exists(Self::KEY)
    }
}

/// A typed map `K → V`.
pub trait StorageMap {
    /// The key type.
    type Key: FullCodec;
    /// The value type.
    type Value: FullCodec;
    /// The item's key prefix.
    const PREFIX: &'static [u8];

    /// The full storage key of `key`.
    fn storage_key(key: &Self::Key) -> Vec<u8> {
        map_key(Self::PREFIX, key)
    }

    /// The value under `key`.
    fn get(key: &Self::Key) -> Option<Self::Value> {
        let k = Self::storage_key(key);
        ext::get(&k).map(|b| decode_or_panic(&k, &b))
    }

    /// Whether `key` has a value.
    fn contains_key(key: &Self::Key) -> bool {
        ext::exists(&Self::storage_key(key))
    }

    /// Sets the value under `key`.
    fn insert(key: &Self::Key, value: &Self::Value) {
        ext::set(Self::storage_key(key), value.encode())
    }

    /// Removes `key`.
    fn remove(key: &Self::Key) {
        ext::clear(Self::storage_key(key))
    }

    /// Changes the value under `key` in place (`None` in or out means absent).
    fn mutate<R>(key: &Self::Key, f: impl FnOnce(&mut Option<Self::Value>) -> R) -> R {
        let mut value = Self::get(key);
        let r = f(&mut value);
        match value {
            Some(v) => Self::insert(key, &v),
            None => Self::remove(key),
        }
        r
    }

    /// Every `(key, value)` of the map, in storage-key order.
    fn iter() -> Vec<(Self::Key, Self::Value)> {
        ext::scan_prefix(Self::PREFIX)
            .into_iter()
            .map(|(k, v)| {
                let key = decode_or_panic(&k, &k[Self::PREFIX.len()..]);
                (key, decode_or_panic(&k, &v))
            })
            .collect()
    }
}

/// A typed double map `(K1, K2) → V`, scannable by `K1`.
pub trait StorageDoubleMap {
    /// The first key type.
    type Key1: FullCodec;
    /// The second key type.
    type Key2: FullCodec;
    /// The value type.
    type Value: FullCodec;
    /// The item's key prefix.
    const PREFIX: &'static [u8];

    /// The full storage key of `(k1, k2)`.
    fn storage_key(k1: &Self::Key1, k2: &Self::Key2) -> Vec<u8> {
        let mut out = map_key(Self::PREFIX, k1);
        k2.encode_to(&mut out);
        out
    }

    /// The value under `(k1, k2)`.
    fn get(k1: &Self::Key1, k2: &Self::Key2) -> Option<Self::Value> {
        let k = Self::storage_key(k1, k2);
        ext::get(&k).map(|b| decode_or_panic(&k, &b))
    }

    /// Whether `(k1, k2)` has a value.
    fn contains_key(k1: &Self::Key1, k2: &Self::Key2) -> bool {
        ext::exists(&Self::storage_key(k1, k2))
    }

    /// Sets the value under `(k1, k2)`.
    fn insert(k1: &Self::Key1, k2: &Self::Key2, value: &Self::Value) {
        ext::set(Self::storage_key(k1, k2), value.encode())
    }

    /// Removes `(k1, k2)`.
    fn remove(k1: &Self::Key1, k2: &Self::Key2) {
        ext::clear(Self::storage_key(k1, k2))
    }

    /// Every `(k2, value)` under `k1`, in storage-key order.
    fn iter_prefix(k1: &Self::Key1) -> Vec<(Self::Key2, Self::Value)> {
        let prefix = map_key(Self::PREFIX, k1);
        ext::scan_prefix(&prefix)
            .into_iter()
            .map(|(k, v)| {
                let k2 = decode_or_panic(&k, &k[prefix.len()..]);
                (k2, decode_or_panic(&k, &v))
            })
            .collect()
    }
}

/// Declares storage items of a pallet.
///
/// ```
/// use yima_frame::{storage, AccountId};
/// storage! {
///     pallet "Example";
///     /// How many things there are.
///     pub Count: value u32;
///     /// Each account's thing.
///     pub Things: map AccountId => u64;
///     /// A double map.
///     pub Pairs: double_map u32, u32 => bool;
/// }
/// ```
#[macro_export]
macro_rules! storage {
    (pallet $pallet:literal; $($rest:tt)*) => {
        $crate::storage!(@items $pallet; $($rest)*);
    };
    (@items $pallet:literal;) => {};
    (@items $pallet:literal; $(#[$m:meta])* $vis:vis $name:ident : value $v:ty; $($rest:tt)*) => {
        $(#[$m])*
        $vis struct $name;
        impl $crate::storage::StorageValue for $name {
            type Value = $v;
            const KEY: &'static [u8] = concat!($pallet, ":", stringify!($name)).as_bytes();
        }
        $crate::storage!(@items $pallet; $($rest)*);
    };
    (@items $pallet:literal; $(#[$m:meta])* $vis:vis $name:ident : map $k:ty => $v:ty; $($rest:tt)*) => {
        $(#[$m])*
        $vis struct $name;
        impl $crate::storage::StorageMap for $name {
            type Key = $k;
            type Value = $v;
            const PREFIX: &'static [u8] = concat!($pallet, ":", stringify!($name), ":").as_bytes();
        }
        $crate::storage!(@items $pallet; $($rest)*);
    };
    (@items $pallet:literal; $(#[$m:meta])* $vis:vis $name:ident : double_map $k1:ty, $k2:ty => $v:ty; $($rest:tt)*) => {
        $(#[$m])*
        $vis struct $name;
        impl $crate::storage::StorageDoubleMap for $name {
            type Key1 = $k1;
            type Key2 = $k2;
            type Value = $v;
            const PREFIX: &'static [u8] = concat!($pallet, ":", stringify!($name), ":").as_bytes();
        }
        $crate::storage!(@items $pallet; $($rest)*);
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestExternalities;

    crate::storage! {
        pallet "T";
        /// v
        V: value u32;
        /// m
        M: map u32 => u64;
        /// dm
        D: double_map u32, u8 => bool;
    }

    #[test]
    fn typed_items_round_trip_and_scan() {
        TestExternalities::new_empty().execute_with(|| {
            assert_eq!(V::get(), None);
            V::put(&7);
            assert_eq!(V::get_or_default(), 7);
            M::insert(&2, &20);
            M::insert(&1, &10);
            M::mutate(&1, |v| *v = v.map(|x| x + 1));
            assert_eq!(M::iter(), vec![(1, 11), (2, 20)]);
            D::insert(&1, &2, &true);
            D::insert(&1, &1, &false);
            D::insert(&2, &1, &true);
            assert_eq!(D::iter_prefix(&1), vec![(1, false), (2, true)]);
            D::remove(&1, &1);
            assert!(!D::contains_key(&1, &1));
            assert_eq!(V::KEY, b"T:V");
            assert_eq!(M::storage_key(&1)[..4], *b"T:M:");
        });
    }
}
