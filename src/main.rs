use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(weft::cli::run())
}
