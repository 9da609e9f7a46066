//! The command line: clap definitions and dispatch to the commands.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::commands::build::{self, Reporter};
use crate::commands::{new, serve};
use crate::diag::Format;
use crate::pipeline;

/// weft: a static site generator for cross-linked documentation and knowledge bases.
#[derive(Debug, Parser)]
#[command(name = "weft", version = VERSION, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The site's folder: with weft.yaml, or a folder of notes as it is.
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// Print errors only.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more about what happens.
    #[arg(long, short, global = true)]
    verbose: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into public/ (.public/ in a folder of notes; or --output).
    Build(BuildArgs),
    /// Run every validation of build and write nothing.
    Check(CheckArgs),
    /// Build in memory, serve a live preview, rebuild and reload the browser on every change.
    Serve(ServeArgs),
    /// Create a new site or page.
    #[command(subcommand)]
    New(NewCommand),
    /// Print a completion script for a shell, e.g. `weft completions bash > ~/.local/share/bash-completion/completions/weft`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `weft man > ~/.local/share/man/man1/weft.1`.
    Man,
}

/// weft's version, with the commit it was built from when built from a git checkout
/// (see build.rs).
pub const VERSION: &str = env!("WEFT_VERSION");

/// The command line's definition, for its reference, completions and manual page.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// How `build` and `check` write diagnostics.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    /// For people, with the source line and a caret.
    Human,
    /// One JSON object per line on stdout: code, severity, message, file, line, column,
    /// end, label, help.
    Json,
    /// GitHub Actions annotations on stdout.
    Github,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Format {
        match format {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Github => Format::Github,
        }
    }
}

#[derive(Debug, Args)]
struct BuildArgs {
    /// Where to write the site.
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Replace base_url from weft.yaml (e.g. https://example.org/docs/).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// How to write diagnostics.
    #[arg(long, value_enum, default_value = "human")]
    format: FormatArg,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// How to write diagnostics.
    #[arg(long, value_enum, default_value = "human")]
    format: FormatArg,
    /// Also check links to other sites (http, https); links that work are cached for a day
    /// in .weft-cache/external.json.
    #[arg(long)]
    external: bool,
    /// Seconds to wait for each external link.
    #[arg(long, default_value_t = 10, value_name = "SECONDS", requires = "external", value_parser = clap::value_parser!(u64).range(1..))]
    timeout: u64,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// The port to listen on; the next free one is used when it is taken (0: any free port).
    #[arg(long, short, default_value_t = 1111)]
    port: u16,
    /// The address to listen on; anything but loopback shows the preview to other machines.
    #[arg(long, short, default_value = "127.0.0.1", value_name = "ADDRESS")]
    bind: IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
}

#[derive(Debug, Subcommand)]
enum NewCommand {
    /// A site that builds at once: config, a section, a page and a static file.
    Site {
        /// The folder to create.
        dir: PathBuf,
        /// The site's languages, the default first, e.g. `en,nl`: each page comes in each.
        #[arg(long, value_delimiter = ',')]
        languages: Vec<String>,
    },
    /// A page with its front matter filled in (title from the file name, today's date).
    Page {
        /// The new file, e.g. content/guide/install.md.
        path: PathBuf,
    },
}

/// Parses the command line, runs the command, and returns the exit code
/// (0 success, 1 errors in the site, 2 usage errors).
pub fn run() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() { 2 } else { 0 };
        }
    };
    match cli.command {
        Command::Build(args) => {
            let reporter = Reporter::new(args.format.into(), cli.quiet, &cli.root);
            let options = pipeline::BuildOptions {
                root: cli.root,
                base_url: args.base_url,
                drafts: args.drafts,
            };
            build::run(&options, args.output.as_deref(), &reporter, cli.verbose)
        }
        Command::Check(args) => {
            let reporter = Reporter::new(args.format.into(), cli.quiet, &cli.root);
            let options = pipeline::BuildOptions {
                root: cli.root,
                base_url: None,
                drafts: args.drafts,
            };
            if args.external {
                let settings = crate::external::Settings {
                    timeout: std::time::Duration::from_secs(args.timeout),
                    ..Default::default()
                };
                return build::check_external(&options, &settings, &reporter);
            }
            build::check(&options, &reporter, cli.verbose)
        }
        Command::Serve(args) => serve::run(serve::ServeOptions {
            build: pipeline::BuildOptions {
                root: cli.root,
                base_url: None,
                drafts: args.drafts,
            },
            bind: args.bind,
            port: args.port,
            open: args.open,
            verbosity: match (cli.quiet, cli.verbose) {
                (true, _) => serve::Verbosity::Quiet,
                (_, true) => serve::Verbosity::Verbose,
                _ => serve::Verbosity::Normal,
            },
        }),
        Command::New(NewCommand::Site { dir, languages }) => new::site(&dir, &languages),
        Command::New(NewCommand::Page { path }) => new::page(&cli.root, &path),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut command(), "weft", &mut std::io::stdout());
            0
        }
        Command::Man => match clap_mangen::Man::new(command()).render(&mut std::io::stdout()) {
            Ok(()) => 0,
            Err(err) => {
                eprintln!("error: cannot write the manual page: {err}");
                1
            }
        },
    }
}
