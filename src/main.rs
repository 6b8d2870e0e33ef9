//! The `unscrape` binary: parse flags, build a config, run, map the outcome to an exit code
//! (0 clean, 1 some inputs failed, 2 usage, rules or fatal error).

use std::process::ExitCode;

use clap::Parser;
use unscrape::cli::{Cli, Command};
use unscrape::run::{run, RunError};
use unscrape::RuleSet;

// Many small allocations from several threads at once: glibc's malloc spent a tenth of the run
// in its arena locks (perf); mimalloc's per-thread heaps avoid that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Clean(args) => {
            let config = args.into_config();
            match run(&config) {
                Ok(outcome) => {
                    if !config.quiet {
                        let report = outcome
                            .report_dir
                            .map(|d| format!("; report in {}", d.display()))
                            .unwrap_or_default();
                        eprintln!("unscrape: {}{report}", outcome.summary.human());
                    }
                    if outcome.summary.errors > 0 {
                        ExitCode::from(1)
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(err) => {
                    eprintln!("unscrape: {err}");
                    if matches!(err, RunError::Usage(_)) {
                        eprintln!("Try 'unscrape clean --help'.");
                    }
                    ExitCode::from(2)
                }
            }
        }
        Command::Learn(args) => {
            let quiet = args.quiet;
            match unscrape::learn::learn(&args.into_config()) {
                Ok(outcome) => {
                    if !quiet {
                        eprintln!("unscrape: {}", outcome.human());
                    }
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    eprintln!("unscrape: {err}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Rules(args) => match RuleSet::load(&args.rules) {
            Ok(rules) => {
                println!("{:<32} {:<12} {:<60} SOURCE", "ID", "STAGE", "MATCHES");
                for rule in rules.rules() {
                    println!(
                        "{:<32} {:<12} {:<60} {}",
                        rule.id,
                        rule.stage,
                        rule.describe(),
                        rule.source
                    );
                }
                println!("# {} rules, digest {}", rules.rules().len(), rules.digest());
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("unscrape: invalid rules: {err}");
                ExitCode::from(2)
            }
        },
    }
}
