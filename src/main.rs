use std::process::ExitCode;

/// mimalloc: the build allocates and frees many small strings and template values from two
/// threads at once, where it is markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    ExitCode::from(weft::commands::cli::run())
}
