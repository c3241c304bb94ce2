//! `yima-node`: see `yima-node --help`.

use clap::Parser;
use yima_node::cli::{describe_key, key_generate, load_key, Cli, Command, KeyCommand};
use yima_node::service::{run, NodeSettings};

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::BuildSpec { chain }) => {
            let spec = yima_chain_spec::ChainSpec::load(&chain)?;
            println!("{}", spec.to_json_pretty());
            Ok(())
        }
        Some(Command::Key(KeyCommand::Generate { output })) => {
            print!("{}", key_generate(output.as_deref())?);
            Ok(())
        }
        Some(Command::Key(KeyCommand::Inspect { key })) => {
            print!("{}", describe_key(&load_key(&key)?, false)?);
            Ok(())
        }
        None => {
            yima_node::logging::init();
            let settings = NodeSettings::from_args(&cli.run)?;
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            let result = runtime.block_on(run(settings));
            if let Err(e) = &result {
                tracing::error!("{e:#}");
            }
            result
        }
    }
}
