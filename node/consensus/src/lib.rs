//! Tendermint consensus for Yima through Malachite (work in progress).
