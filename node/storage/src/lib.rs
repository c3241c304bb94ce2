//! RocksDB storage for the Yima node (work in progress).
