//! A miniature `noetl` CLI: enough to prove the build, the install and the
//! architecture of the binary that ends up in the image.

use std::env;
use std::process::ExitCode;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--version") | Some("-V") => {
            println!("noetl {VERSION} ({}-{})", env::consts::ARCH, env::consts::OS);
            ExitCode::SUCCESS
        }
        Some("arch") => {
            println!("{}", env::consts::ARCH);
            ExitCode::SUCCESS
        }
        Some("sleep") => {
            // Lets tests hold a running binary while a rebuild replaces it.
            let secs = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(5);
            std::thread::sleep(std::time::Duration::from_secs(secs));
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("usage: noetl --version | arch | sleep SECONDS");
            ExitCode::from(2)
        }
    }
}
