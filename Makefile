# The README's two commands. Each first installs what a fresh Debian 12 machine lacks (scripts/setup-machine.sh).

.PHONY: dev test

# A dev chain with the demo histories, JSON-RPC on 127.0.0.1:9944 and the scan page (see README).
dev:
	scripts/setup-machine.sh run
	cargo run --release -p yima-node -- --dev

# Every test of the workspace.
test:
	scripts/setup-machine.sh test
	cargo test --workspace
