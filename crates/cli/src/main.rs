//! `readyroom`: the command-line tool over readyroom-core. It is also how automation and
//! our own checks talk to a workspace. Errors are one line on stderr and a non-zero exit.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use readyroom_core::clock::SystemClock;
use readyroom_core::tabletop::exercises;
use readyroom_core::workspace::{resolve_path, schema_version, APP_IDENTIFIER, DB_ENV_VAR};
use readyroom_core::{archive, csv_import};
use readyroom_core::{
    changes, criteria, encryption, heatmap, incidents, leavers, people, profile, risks, scoring, systems, training,
    vendors, Access, Error, ErrorCode, OpenOptions, Secret, Workspace,
};
use readyroom_core::{registers, Register};

#[derive(Parser)]
#[command(
    name = "readyroom",
    version = version(),
    about = "Readyroom: SOC 2 readiness registers in one offline workspace file",
    propagate_version = true
)]
struct Cli {
    /// The workspace file to use (default: $READYROOM_DB, then the app-data folder)
    #[arg(long, global = true, value_name = "FILE")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the workspace, or upgrade it to this version's schema, and print its path. A new
    /// workspace is encrypted with $READYROOM_PASSPHRASE (or a passphrase asked on the
    /// terminal); its recovery key is printed once
    Init {
        /// Create an unencrypted workspace
        #[arg(long)]
        plain: bool,
    },
    /// Encrypt a plain workspace in place with $READYROOM_PASSPHRASE (or a passphrase asked
    /// on the terminal); prints the recovery key once
    Encrypt,
    /// Set a new passphrase ($READYROOM_NEW_PASSPHRASE, or asked): the workspace opens with
    /// $READYROOM_PASSPHRASE, or with $READYROOM_RECOVERY_KEY when the passphrase is lost
    Passphrase,
    /// Write a plain (unencrypted) copy of an encrypted workspace; the workspace stays encrypted
    Decrypt {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// List the Trust Services Criteria, marked in or out of scope
    Criteria {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Show the organization profile
    Profile {
        /// Print JSON (null when no profile has been saved); `profile set --file` reads it back
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        command: Option<ProfileCommand>,
    },
    /// Export a register as CSV (to stdout, or to --out FILE)
    Export {
        /// people, controls, activities, policies, approvals, acknowledgements, actions, risks, risk_assessments, vendors, vendor_assessments, soc2_reports, systems, log_reviews, retention, disposals, access_reviews, courses, training, leavers, changes, incidents, exercises (held) or requests (the auditor's list)
        register: String,
        /// CSV format (the only one for now; accepted for clarity in scripts)
        #[arg(long)]
        csv: bool,
        /// Write to this file instead of stdout
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Import a register from CSV or a workbook sheet; all or nothing, matching on
    /// reference/email. A column the file leaves out keeps its stored values; an empty cell
    /// clears one (see --allow-clearing). Evidence files a row names are read relative to
    /// the file's folder
    Import {
        /// A register with a CSV file (`readyroom export --help` lists them; docs/csv.md)
        register: String,
        /// The file: CSV (UTF-8, comma or semicolon separated), or a workbook (.xlsx, .xls, .ods)
        file: PathBuf,
        /// The workbook's sheet to read (by default its only sheet, or the one named after the register)
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        /// Check the file and report what would change, without writing anything
        #[arg(long)]
        dry_run: bool,
        /// Let empty cells clear stored values (without it, such an import writes nothing)
        #[arg(long)]
        allow_clearing: bool,
    },
    /// List the people directory
    People {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
        /// Include archived people
        #[arg(long)]
        all: bool,
    },
    /// List the risk register with inherent and residual scores
    Risks {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
        /// Include archived risks
        #[arg(long)]
        all: bool,
    },
    /// List vendors with criticality, next assessment, SOC 2 report status and what needs attention
    Vendors {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
        /// Include archived vendors
        #[arg(long)]
        all: bool,
    },
    /// List systems with their protections and gaps
    Systems {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
        /// Include archived systems
        #[arg(long)]
        all: bool,
    },
    /// Everyone's security awareness training status today
    Training {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Leavers and whether their access was removed within one business day
    Leavers {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
        /// Also list people leaving within this many days
        #[arg(long, value_name = "DAYS", default_value_t = 14)]
        ahead: u64,
    },
    /// List changes with what is wrong with them (approval, tests, rollback plan)
    Changes {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
        /// Include archived changes
        #[arg(long)]
        all: bool,
    },
    /// List incidents with severity, status and times to contain and close
    Incidents {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
        /// Include archived incidents
        #[arg(long)]
        all: bool,
    },
    /// Policy texts: export a version's Markdown, or import the working version's
    Policies {
        #[command(subcommand)]
        command: PoliciesCommand,
    },
    /// Tabletop exercise scripts: list, export and import (TOML, see docs/tabletop-format.md)
    Tabletop {
        #[command(subcommand)]
        command: TabletopCommand,
    },
    /// Run every readiness check (exit 0 whatever the verdicts; non-zero only for errors)
    Check {
        /// The date to judge on (default: today)
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        /// Print JSON: every check with id, title, verdict, criteria and findings
        #[arg(long)]
        json: bool,
    },
    /// Each control's periods on a date and whether an occurrence with evidence met them
    Controls {
        /// The date to judge on (default: today)
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        /// Print JSON: every control with its periods, their state and occurrences
        #[arg(long)]
        json: bool,
    },
    /// The exceptions an auditor would list (missed periods, failed events) and their responses
    Exceptions {
        /// The date to judge on (default: today)
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Write the readiness report as PDF
    Report {
        /// The date to report on (default: today)
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        /// a4 (default) or letter
        #[arg(long, default_value = "a4")]
        paper: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Fill an empty workspace with the demo company (dated relative to today); plain unless
    /// $READYROOM_PASSPHRASE is set (its data is fictional)
    Demo,
    /// Move or back up a whole workspace: its records and evidence files in one archive (zip)
    Archive {
        #[command(subcommand)]
        command: ArchiveCommand,
    },
    /// Write the auditor's binder for a date range (a zip: evidence by control and period, the
    /// populations auditors sample from, a manifest of hashes); `binder verify F` checks one
    #[command(args_conflicts_with_subcommands = true)]
    Binder {
        #[command(subcommand)]
        command: Option<BinderCommand>,
        /// First day of the range (YYYY-MM-DD)
        #[arg(long)]
        from: Option<String>,
        /// Last day of the range (YYYY-MM-DD)
        #[arg(long)]
        to: Option<String>,
        /// The zip to write
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Write it even when evidence files are missing from the attachment folder (listed in it)
        #[arg(long)]
        allow_missing: bool,
    },
    /// Print the 5 x 5 risk heatmap (counts per likelihood x impact cell)
    Heatmap {
        /// Place risks by their residual rating instead of the inherent one
        #[arg(long)]
        residual: bool,
        /// Print JSON instead of a grid
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ProfileCommand {
    /// Set the profile from a TOML file (or the JSON `profile --json` prints); keys left out keep their values
    Set {
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum PoliciesCommand {
    /// List the policies with their id, working version, status and length of text
    List,
    /// Write a policy version's text (Markdown) to a file
    ExportText {
        /// The policy's id (`readyroom export policies` lists them, or the app's address bar)
        id: i64,
        /// The version (default: the working version)
        #[arg(long, value_name = "VERSION")]
        policy_version: Option<String>,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Replace the working version's text with a Markdown file (refused once that version is approved)
    ImportText { id: i64, file: PathBuf },
}

#[derive(Subcommand)]
enum BinderCommand {
    /// Check a binder against its manifest: what is missing, extra or changed (exit 1 then)
    Verify { file: PathBuf },
}

#[derive(Subcommand)]
enum ArchiveCommand {
    /// Write the workspace (every record, its history and its evidence files) to an archive
    Export {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Encrypt the archive under a passphrase of its own: $READYROOM_ARCHIVE_PASSPHRASE, or
        /// asked on the terminal
        #[arg(long, conflicts_with = "plain")]
        encrypt: bool,
        /// Write it unencrypted even though the workspace is encrypted
        #[arg(long)]
        plain: bool,
    },
    /// Build the workspace named by --db from an archive (it must not exist yet, or be empty);
    /// an encrypted archive opens with $READYROOM_ARCHIVE_PASSPHRASE, or asks on the terminal
    Import { file: PathBuf },
}

#[derive(Subcommand)]
enum TabletopCommand {
    /// List the built-in and the workspace's own scripts
    List,
    /// Write a script's TOML (a built-in key like "ransomware", or the number of an own script)
    Export {
        script: String,
        /// Write to this file instead of stdout
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Write an exercise's after-action report as PDF (the exercise reference, e.g. TTX-001)
    Report {
        exercise: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// a4 (default) or letter
        #[arg(long, default_value = "a4")]
        paper: String,
    },
    /// Check a script file and add it to the workspace (errors name their line)
    Import {
        file: PathBuf,
        /// Only check the file
        #[arg(long)]
        dry_run: bool,
    },
}

fn version() -> String {
    format!("{} (workspace schema {})", env!("CARGO_PKG_VERSION"), schema_version())
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            use clap::error::ErrorKind::{DisplayHelp, DisplayHelpOnMissingArgumentOrSubcommand, DisplayVersion};
            if matches!(err.kind(), DisplayHelp | DisplayVersion | DisplayHelpOnMissingArgumentOrSubcommand) {
                let _ = err.print();
                return if err.kind() == DisplayHelpOnMissingArgumentOrSubcommand {
                    ExitCode::from(2)
                } else {
                    ExitCode::SUCCESS
                };
            }
            let text = err.render().to_string();
            let first = text.lines().next().unwrap_or("invalid arguments").trim_start_matches("error: ");
            eprintln!("readyroom: {first} (see `readyroom --help`)");
            return ExitCode::from(2);
        }
    };
    // History entries name who made each change: this computer account, from the command line.
    let account =
        ["USER", "USERNAME", "LOGNAME"].iter().find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()));
    readyroom_core::workspace::set_process_actor(&format!(
        "{} (command line)",
        account.as_deref().unwrap_or("unknown account")
    ));
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("readyroom: {}", one_line(&err));
            // A refused output path is a usage error, like a bad argument.
            if err.code == ErrorCode::OutputRefused {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

fn one_line(err: &Error) -> String {
    let mut text = err.message.replace('\n', " ");
    for f in &err.fields {
        text.push_str(&format!(" [{}: {}]", f.field, f.message));
    }
    text
}

const PASSPHRASE_VAR: &str = "READYROOM_PASSPHRASE";
const NEW_PASSPHRASE_VAR: &str = "READYROOM_NEW_PASSPHRASE";
const RECOVERY_KEY_VAR: &str = "READYROOM_RECOVERY_KEY";
const ARCHIVE_PASSPHRASE_VAR: &str = "READYROOM_ARCHIVE_PASSPHRASE";

fn env_secret(var: &str) -> Option<String> {
    std::env::var(var).ok().filter(|v| !v.is_empty())
}

/// Asks on the terminal without echo; none when there is no terminal to ask on.
fn ask(prompt: &str) -> Result<Option<String>, Error> {
    use std::io::IsTerminal;
    if !io::stdin().is_terminal() {
        return Ok(None);
    }
    rpassword::prompt_password(prompt)
        .map(Some)
        .map_err(|e| Error::new(ErrorCode::Io, format!("Could not read the passphrase from the terminal: {e}.")))
}

/// What unlocks the workspace: $READYROOM_PASSPHRASE, then $READYROOM_RECOVERY_KEY.
fn secret_from_env() -> Option<Secret> {
    env_secret(PASSPHRASE_VAR)
        .map(Secret::passphrase)
        .or_else(|| env_secret(RECOVERY_KEY_VAR).map(Secret::recovery_key))
}

/// A new passphrase: from `var`, or asked twice on the terminal; none without either.
fn new_passphrase(var: &str) -> Result<Option<String>, Error> {
    if let Some(p) = env_secret(var) {
        return Ok(Some(p));
    }
    let Some(first) = ask("New passphrase: ")? else { return Ok(None) };
    readyroom_core::keys::check_new_passphrase(&first)?;
    match ask("The same passphrase again: ")? {
        Some(second) if second == first => Ok(Some(first)),
        _ => Err(Error::field("passphrase", "The two passphrases differ; nothing was changed.")),
    }
}

/// What opens the workspace at `path` for `encrypt`-like commands: the environment's secret,
/// or the passphrase asked on the terminal; `then` ends the message when there is neither.
fn current_secret(path: &std::path::Path, then: &str) -> Result<Secret, Error> {
    if let Some(s) = secret_from_env() {
        return Ok(s);
    }
    match ask(&format!("Passphrase for {}: ", path.display()))? {
        Some(p) => Ok(Secret::passphrase(p)),
        None => Err(Error::new(
            ErrorCode::KeyRequired,
            format!("Set {PASSPHRASE_VAR} (the passphrase) or {RECOVERY_KEY_VAR}; {then}."),
        )),
    }
}

fn print_recovery_key(key: &str) {
    eprintln!(
        "\nRecovery key (shown only now; print it or keep it somewhere safe, apart from the laptop):\n\n    {key}\n\nWith it the workspace opens even when the passphrase is forgotten or the key file is lost.\n"
    );
}

fn workspace_path(cli_db: Option<PathBuf>) -> Result<PathBuf, Error> {
    resolve_path(cli_db, std::env::var(DB_ENV_VAR).ok(), dirs::data_dir().map(|d| d.join(APP_IDENTIFIER)))
}

/// Opens the workspace. Only `init` and `demo` pass `Access::Create`: a mistyped `--db` must
/// never become a new empty workspace. An encrypted workspace opens with
/// $READYROOM_PASSPHRASE or $READYROOM_RECOVERY_KEY, or asks for the passphrase on the terminal.
fn open(cli_db: Option<PathBuf>, access: Access) -> Result<Workspace, Error> {
    open_with(workspace_path(cli_db)?, access, secret_from_env())
}

fn open_with(path: PathBuf, access: Access, secret: Option<Secret>) -> Result<Workspace, Error> {
    let options = |secret| OpenOptions::new(access, Arc::new(SystemClock)).with_secret(secret);
    let ws = match Workspace::open(&path, options(secret.clone())) {
        Err(e) if e.code == ErrorCode::KeyRequired && secret.is_none() => {
            match ask(&format!("Passphrase for {}: ", path.display()))? {
                Some(p) => Workspace::open(&path, options(Some(Secret::passphrase(p))))?,
                None => {
                    return Err(Error::new(
                        ErrorCode::KeyRequired,
                        format!("{} Set {PASSPHRASE_VAR} (or {RECOVERY_KEY_VAR}).", e.message),
                    ))
                }
            }
        }
        other => other?,
    };
    for warning in &ws.report().warnings {
        eprintln!("readyroom: warning: {warning}");
    }
    if let (Access::ReadWrite | Access::Create, Some(reason)) = (access, &ws.report().read_only_reason) {
        eprintln!("readyroom: {} is read-only ({reason}): you can look but not change.", ws.path().display());
    }
    Ok(ws)
}

/// The date `--as-of` names, or today.
fn as_of_date(ws: &Workspace, text: Option<&str>) -> Result<chrono::NaiveDate, Error> {
    match text {
        None => Ok(ws.clock().today()),
        Some(t) => chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| {
            Error::new(ErrorCode::Validation, format!("--as-of {t:?} is not a date written as YYYY-MM-DD."))
        }),
    }
}

/// Writes an output file, never onto the workspace or its files, never half-written.
fn write_output(ws: &Workspace, target: &std::path::Path, bytes: &[u8]) -> Result<(), Error> {
    let written = ws.protected().write(target, bytes)?;
    eprintln!("Wrote {}.", written.display());
    Ok(())
}

fn run(cli: Cli) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    let result = match cli.command {
        Command::Init { plain } => {
            let path = workspace_path(cli.db)?;
            let new = std::fs::metadata(&path).map_or(true, |m| m.len() == 0);
            let secret = if !new {
                secret_from_env()
            } else if plain {
                None
            } else {
                match new_passphrase(PASSPHRASE_VAR)? {
                    Some(p) => Some(Secret::passphrase(p)),
                    None => {
                        return Err(Error::new(
                            ErrorCode::KeyRequired,
                            format!("A new workspace is encrypted: set {PASSPHRASE_VAR} (or run on a terminal to be asked), or pass --plain to create an unencrypted one. Nothing was created."),
                        ))
                    }
                }
            };
            let ws = open_with(path, Access::Create, secret)?;
            let r = ws.report();
            if r.created {
                let how = if r.encrypted { "an encrypted" } else { "a plain (unencrypted)" };
                eprintln!("Created {how} workspace (schema {}).", r.schema_version);
                if let Some(key) = &r.recovery_key {
                    print_recovery_key(key);
                }
            } else if let Some(from) = r.upgraded_from {
                eprintln!(
                    "Upgraded the workspace from schema {from} to {}; the old file was copied to {}.",
                    r.schema_version,
                    r.backup_path.as_deref().unwrap_or("?")
                );
            } else {
                eprintln!("The workspace is up to date (schema {}).", r.schema_version);
            }
            writeln!(out, "{}", ws.path().display())
        }
        Command::Criteria { json } => {
            let ws = open(cli.db, Access::ReadOnly)?;
            let list = ws.read(criteria::list)?;
            if json {
                writeln!(out, "{}", to_json(&list)?)
            } else {
                let mut text = String::new();
                for c in &list {
                    let scope = if c.in_scope { "" } else { "  (out of scope)" };
                    text.push_str(&format!("{:<6} {:<22} {}{scope}\n", c.id, c.category.label(), c.title));
                }
                write!(out, "{text}")
            }
        }
        Command::Profile { command: Some(ProfileCommand::Set { file }), .. } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Error::new(ErrorCode::Io, format!("Cannot read {} as UTF-8 text: {e}", file.display())))?;
            let ws = open(cli.db, Access::ReadWrite)?;
            let current = ws.read(profile::get)?;
            let input = profile::input_from_file(&text, current.as_ref())?;
            let saved = ws.write(|tx, now| profile::save(tx, now, &input))?;
            writeln!(out, "Saved the organization profile of {}.", saved.name)
        }
        Command::Profile { json, command: None } => {
            let ws = open(cli.db, Access::ReadOnly)?;
            let p = ws.read(profile::get)?;
            if json {
                writeln!(out, "{}", to_json(&p)?)
            } else {
                match p {
                    None => {
                        writeln!(out, "No organization profile yet: fill it in on the Organization screen of the app.")
                    }
                    Some(p) => {
                        let date =
                            |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
                        let scope: Vec<&str> = p.categories.in_scope().iter().map(|c| c.label()).collect();
                        writeln!(
                            out,
                            "Organization:  {}\nAudit:         {}\nWindow:        {} to {}\nScope:         {}\nAuditor:       {}\nReport due:    {}",
                            p.name,
                            match p.audit_type {
                                profile::AuditType::Type1 => "SOC 2 Type I",
                                profile::AuditType::Type2 => "SOC 2 Type II",
                            },
                            date(p.window_start),
                            date(p.window_end),
                            scope.join(", "),
                            if p.auditor.is_empty() { "-" } else { &p.auditor },
                            date(p.target_report_date),
                        )
                    }
                }
            }
        }
        Command::Export { register, csv: _, out: target } => {
            let register = parse_register(&register)?;
            let ws = open(cli.db, Access::ReadOnly)?;
            let text = ws.read(|c| registers::export_csv(c, register))?;
            match target {
                Some(path) => {
                    write_output(&ws, &path, text.as_bytes())?;
                    Ok(())
                }
                None => write!(out, "{text}"),
            }
        }
        Command::Import { register, file, sheet, dry_run, allow_clearing } => {
            let register = parse_register(&register)?;
            let ws = open(cli.db, Access::ReadWrite)?;
            let options = csv_import::ImportOptions { dry_run, allow_clearing };
            let report = registers::import_file(&ws, register, &file, sheet.as_deref(), options)?;
            print_import(&mut out, &file, register, &report)?;
            Ok(())
        }
        Command::People { json, all } => {
            let ws = open(cli.db, Access::ReadOnly)?;
            let list =
                ws.read(|c| people::list(c, &people::PeopleQuery { search: String::new(), include_archived: all }))?;
            if json {
                writeln!(out, "{}", to_json(&list)?)
            } else {
                let mut text = String::new();
                for p in &list {
                    let leaver = p.end_date.map(|d| format!("  left {d}")).unwrap_or_default();
                    let archived = if p.archived { "  (archived)" } else { "" };
                    text.push_str(&format!("{:<28} {:<32} {}{leaver}{archived}\n", p.name, p.email, p.role));
                }
                write!(out, "{text}")
            }
        }
        Command::Risks { json, all } => {
            let ws = open(cli.db, Access::ReadOnly)?;
            let today = ws.clock().today();
            let mut rows = Vec::new();
            let mut offset = 0;
            loop {
                let q = risks::RiskQuery { include_archived: all, offset, limit: 1000, ..Default::default() };
                let page = ws.read(|c| risks::list(c, &q, today))?;
                let n = page.rows.len() as u32;
                rows.extend(page.rows);
                offset += n;
                if n == 0 || offset >= page.total {
                    break;
                }
            }
            if json {
                writeln!(out, "{}", to_json(&rows)?)
            } else {
                let mut text = String::new();
                for r in &rows {
                    let residual = r
                        .residual
                        .map(|x| format!("{:>2} {:<8}", x.score, x.band.label()))
                        .unwrap_or_else(|| " -         ".into());
                    let treatment = r.treatment.map(|t| t.label()).unwrap_or("undecided");
                    text.push_str(&format!(
                        "{:<10} {:>2} {:<8}  {residual}  {:<10} {:<8} {}\n",
                        r.reference,
                        r.inherent.score,
                        r.inherent.band.label(),
                        treatment,
                        r.status.label(),
                        r.title
                    ));
                }
                write!(out, "{text}")
            }
        }
        Command::Vendors { json, all } => {
            let ws = open(cli.db, Access::ReadOnly)?;
            let today = ws.clock().today();
            let q = vendors::VendorQuery { include_archived: all, limit: 1000, ..Default::default() };
            let mut rows = Vec::new();
            loop {
                let page = ws.read(|c| {
                    vendors::list(c, &vendors::VendorQuery { offset: rows.len() as u32, ..q.clone() }, today)
                })?;
                let done = page.rows.is_empty() || rows.len() + page.rows.len() >= page.total as usize;
                rows.extend(page.rows);
                if done {
                    break;
                }
            }
            if json {
                writeln!(out, "{}", to_json(&rows)?)
            } else {
                let d = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
                let mut text = format!(
                    "{:<24} {:<9} {:<11} {:<12} {:<13} {:<11} {}\n",
                    "VENDOR", "CRIT", "STATUS", "NEXT REVIEW", "SOC 2 REPORT", "COVERED TO", "ATTENTION"
                );
                for v in &rows {
                    let flags: Vec<&str> = v.flags.iter().map(|f| f.kind.label()).collect();
                    text.push_str(&format!(
                        "{:<24} {:<9} {:<11} {:<12} {:<13} {:<11} {}\n",
                        v.name,
                        v.criticality.label(),
                        v.status.label(),
                        d(v.next_assessment_due),
                        v.report_status.label(),
                        d(v.coverage_until),
                        flags.join("; ")
                    ));
                }
                write!(out, "{text}")
            }
        }
        Command::Systems { json, all } => {
            let ws = open(cli.db, Access::ReadOnly)?;
            let today = ws.clock().today();
            let q = systems::SystemQuery { include_archived: all, ..Default::default() };
            let rows = ws.read(|c| systems::list(c, &q, today))?;
            if json {
                writeln!(out, "{}", to_json(&rows)?)
            } else {
                let yes = |b: bool| if b { "yes" } else { "no" };
                let mut text = format!(
                    "{:<28} {:<9} {:<4} {:<4} {:<5} {:<4} {}\n",
                    "SYSTEM", "CRIT", "MFA", "RBAC", "LOGS", "ENC", "GAPS"
                );
                for s in &rows {
                    text.push_str(&format!(
                        "{:<28} {:<9} {:<4} {:<4} {:<5} {:<4} {}\n",
                        s.name,
                        s.criticality.label(),
                        yes(s.mfa_enforced),
                        yes(s.role_based_access),
                        yes(s.logs_forwarded),
                        yes(s.encryption_at_rest),
                        s.gaps.join(" ")
                    ));
                }
                write!(out, "{text}")
            }
        }
        Command::Training { json } => {
            let ws = open(cli.db, Access::ReadOnly)?;
            let today = ws.clock().today();
            let o = ws.read(|c| training::overview(c, today))?;
            if json {
                writeln!(out, "{}", to_json(&o)?)
            } else if !o.courses.iter().any(|c| c.required) {
                writeln!(out, "No required course yet: add the security awareness course in the app (Training).")
            } else {
                let mut text = format!(
                    "{} current, {} due within 30 days, {} overdue, {} new hires not trained within 7 days\n",
                    o.current, o.due_soon, o.overdue, o.new_hire_overdue
                );
                for p in &o.people {
                    let due = p
                        .courses
                        .iter()
                        .filter_map(|c| c.due)
                        .min()
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "-".into());
                    text.push_str(&format!("{:<28} {:<36} due {due}\n", p.person.name, p.state.label()));
                }
                write!(out, "{text}")
            }
        }
        Command::Leavers { json, ahead } => {
            let ws = open(cli.db, Access::ReadOnly)?;
            let today = ws.clock().today();
            let rows = ws.read(|c| leavers::list(c, today, ahead))?;
            if json {
                writeln!(out, "{}", to_json(&rows)?)
            } else {
                let mut text = String::new();
                for l in &rows {
                    let states: Vec<String> =
                        l.systems.iter().map(|s| format!("{}: {}", s.system.name, s.state.label())).collect();
                    text.push_str(&format!(
                        "{:<24} left {} (deadline {})  {}\n",
                        l.person.name,
                        l.end_date,
                        l.deadline,
                        states.join("; ")
                    ));
                }
                write!(out, "{text}")
            }
        }
        Command::Changes { json, all } => {
            let ws = open(cli.db, Access::ReadOnly)?;
            let now = ws.clock().now().naive_utc();
            let mut rows = Vec::new();
            loop {
                let q = changes::ChangeQuery {
                    include_archived: all,
                    offset: rows.len() as u32,
                    limit: 1000,
                    ..Default::default()
                };
                let page = ws.read(|c| changes::list(c, &q, now))?;
                let done = page.rows.is_empty() || rows.len() + page.rows.len() >= page.total as usize;
                rows.extend(page.rows);
                if done {
                    break;
                }
            }
            if json {
                writeln!(out, "{}", to_json(&rows)?)
            } else {
                let mut text = String::new();
                for c in &rows {
                    let flags: Vec<&str> = c.flags.iter().map(|f| f.kind.label()).collect();
                    text.push_str(&format!(
                        "{:<10} {:<17} {:<40} {}\n",
                        c.reference,
                        c.deployed_at.as_deref().unwrap_or("-"),
                        c.title,
                        flags.join("; ")
                    ));
                }
                write!(out, "{text}")
            }
        }
        Command::Incidents { json, all } => {
            let ws = open(cli.db, Access::ReadOnly)?;
            let now = ws.clock().now().naive_utc();
            let q = incidents::IncidentQuery { include_archived: all, ..Default::default() };
            let rows = ws.read(|c| incidents::list(c, &q, now))?;
            if json {
                writeln!(out, "{}", to_json(&rows)?)
            } else {
                let mut text = String::new();
                for i in &rows {
                    let mins =
                        |m: Option<i64>| m.map(|m| format!("{}h{:02}", m / 60, m % 60)).unwrap_or_else(|| "-".into());
                    text.push_str(&format!(
                        "{:<9} {:<5} {:<11} {:<17} contain {:<7} close {:<7} {}\n",
                        i.reference,
                        i.severity.label(),
                        i.status.label(),
                        i.detected_at,
                        mins(i.minutes_to_contain),
                        mins(i.minutes_to_close),
                        i.title
                    ));
                }
                write!(out, "{text}")
            }
        }
        Command::Policies { command: PoliciesCommand::List } => {
            let ws = open(cli.db, Access::ReadOnly)?;
            let mut text = String::new();
            for p in ws.read(|c| readyroom_core::policies::list(c, false))? {
                let words = ws.read(|c| readyroom_core::policy_text::get(c, p.id, None))?.words;
                text.push_str(&format!(
                    "{:>4}  {:<52} {:<6} {:<10} {words} words\n",
                    p.id,
                    p.title,
                    p.version,
                    p.status.label()
                ));
            }
            write!(out, "{text}")
        }
        Command::Policies { command: PoliciesCommand::ExportText { id, policy_version, out: target } } => {
            let ws = open(cli.db, Access::ReadOnly)?;
            let text = ws.read(|c| readyroom_core::policy_text::get(c, id, policy_version.as_deref()))?;
            write_output(&ws, &target, text.body.as_bytes())?;
            writeln!(out, "Version {} ({} words).", text.version, text.words)
        }
        Command::Policies { command: PoliciesCommand::ImportText { id, file } } => {
            let body = std::fs::read_to_string(&file)
                .map_err(|e| Error::new(ErrorCode::Io, format!("Cannot read {} as UTF-8 text: {e}", file.display())))?;
            let ws = open(cli.db, Access::ReadWrite)?;
            let saved = ws.write(|tx, now| readyroom_core::policy_text::save(tx, now, id, &body))?;
            writeln!(out, "Saved version {} of the policy ({} words).", saved.version, saved.words)
        }
        Command::Tabletop { command } => match command {
            TabletopCommand::List => {
                let ws = open(cli.db, Access::ReadOnly)?;
                let mut text = String::new();
                for s in ws.read(exercises::library)? {
                    let key = match &s.script {
                        exercises::ScriptRef::BuiltIn(k) => k.clone(),
                        exercises::ScriptRef::Custom(id) => id.to_string(),
                    };
                    text.push_str(&format!(
                        "{key:<24} {:>2} injects {:>4} min  {}\n",
                        s.injects, s.duration_minutes, s.title
                    ));
                }
                write!(out, "{text}")
            }
            TabletopCommand::Export { script, out: target } => {
                let ws = open(cli.db, Access::ReadOnly)?;
                let r = match script.parse::<i64>() {
                    Ok(id) => exercises::ScriptRef::Custom(id),
                    Err(_) => exercises::ScriptRef::BuiltIn(script),
                };
                let text = ws.read(|c| exercises::source(c, &r))?;
                match target {
                    Some(path) => {
                        write_output(&ws, &path, text.as_bytes())?;
                        Ok(())
                    }
                    None => write!(out, "{text}"),
                }
            }
            TabletopCommand::Report { exercise, out: target, paper } => {
                let paper = match paper.to_ascii_lowercase().as_str() {
                    "a4" => readyroom_core::pdf::Paper::A4,
                    "letter" => readyroom_core::pdf::Paper::Letter,
                    other => {
                        return Err(Error::new(
                            ErrorCode::Validation,
                            format!("Unknown paper {other:?}: use a4 or letter."),
                        ))
                    }
                };
                let ws = open(cli.db, Access::ReadOnly)?;
                let now = ws.clock().now();
                let bytes = ws.read(|c| {
                    let found =
                        exercises::list(c, true)?.into_iter().find(|e| e.reference.eq_ignore_ascii_case(&exercise));
                    let id = found.map(|e| e.id).ok_or_else(|| Error::not_found(format!("No exercise {exercise}.")))?;
                    let org = profile::get(c)?.map(|p| p.name).unwrap_or_else(|| "Our organisation".into());
                    readyroom_core::after_action::after_action_report(c, id, &org, paper, now)
                })?;
                write_output(&ws, &target, &bytes)?;
                Ok(())
            }
            TabletopCommand::Import { file, dry_run } => {
                let text = std::fs::read_to_string(&file).map_err(|e| {
                    Error::new(ErrorCode::Io, format!("Cannot read {} as UTF-8 text: {e}", file.display()))
                })?;
                let result = if dry_run {
                    exercises::check(&text).map(|s| s.title)
                } else {
                    let ws = open(cli.db, Access::ReadWrite)?;
                    ws.write(|tx, now| exercises::save_script(tx, now, None, &text)).map(|s| s.title)
                };
                match result {
                    Ok(title) => writeln!(out, "{} {title:?}.", if dry_run { "Valid script" } else { "Imported" }),
                    Err(e) => {
                        for f in &e.fields {
                            eprintln!("{}: {}", file.display(), f.message);
                        }
                        return Err(Error::new(
                            ErrorCode::Validation,
                            format!(
                                "{} rejected: {} problem(s); nothing was imported.",
                                file.display(),
                                e.fields.len().max(1)
                            ),
                        ));
                    }
                }
            }
        },
        Command::Controls { as_of, json } => {
            use readyroom_core::readiness::PeriodState;
            let ws = open(cli.db, Access::ReadOnly)?;
            let date = as_of_date(&ws, as_of.as_deref())?;
            let all = ws.read(|c| readyroom_core::readiness::controls::timelines(c, date))?;
            if json {
                writeln!(out, "{}", to_json(&all)?)
            } else {
                let mut text = format!("Controls on {date} (met, missed, due, not yet):\n\n");
                for t in all.iter().filter(|t| t.implemented) {
                    let marks: String = t
                        .periods
                        .iter()
                        .map(|p| match p.state {
                            PeriodState::Met => '+',
                            PeriodState::Missed => 'x',
                            PeriodState::Due => '?',
                            PeriodState::NotYet => '.',
                        })
                        .collect();
                    text.push_str(&format!(
                        "{:<8} {:<44} {:<12} {marks}\n",
                        t.control.reference,
                        t.control.title,
                        t.cadence.label()
                    ));
                    for p in t.periods.iter().filter(|p| p.state == PeriodState::Missed) {
                        let answered = if p.response.is_some() { " (answered)" } else { "" };
                        text.push_str(&format!("         missed {}: {}{answered}\n", p.period.text(), p.problem));
                    }
                }
                let other = all.iter().filter(|t| !t.implemented).count();
                text.push_str(&format!("\n{other} controls are not implemented on this date and have no periods.\n"));
                write!(out, "{text}")
            }
        }
        Command::Exceptions { as_of, json } => {
            let ws = open(cli.db, Access::ReadOnly)?;
            let date = as_of_date(&ws, as_of.as_deref())?;
            let list = ws.read(|c| readyroom_core::readiness::exceptions::list(c, date))?;
            if json {
                writeln!(out, "{}", to_json(&list)?)
            } else if list.is_empty() {
                writeln!(out, "No exceptions on {date} (a Type II observation window is needed for exceptions).")
            } else {
                let answered = list.iter().filter(|e| e.response.is_some()).count();
                let mut text =
                    format!("{} exceptions on {date}, {answered} with a management response:\n\n", list.len());
                for e in &list {
                    text.push_str(&format!(
                        "{}  {}  {}\n    {}\n",
                        e.period.text(),
                        e.check_title,
                        e.record.title,
                        e.problem
                    ));
                    match &e.response {
                        Some(r) => text.push_str(&format!("    Response: {}\n", r.management_response)),
                        None => text.push_str("    No management response yet.\n"),
                    }
                }
                write!(out, "{text}")
            }
        }
        Command::Check { as_of, json } => {
            let ws = open(cli.db, Access::ReadOnly)?;
            let date = as_of_date(&ws, as_of.as_deref())?;
            let r = ws.read(|c| readyroom_core::readiness::check_all(c, date))?;
            if json {
                writeln!(out, "{}", to_json(&r)?)
            } else {
                let mut text = format!(
                    "Readiness on {}: {} pass, {} due soon, {} fail, {} not applicable\n\n",
                    r.as_of, r.pass, r.warn, r.fail, r.not_applicable
                );
                for c in &r.checks {
                    text.push_str(&format!("{:>2}. {:<36} {:<14} {}\n", c.id, c.title, c.verdict.label(), c.reason));
                    if let Some(f) = &c.forecast {
                        text.push_str(&format!("    would fail on {}: {}\n", f.fails_on, f.what));
                    }
                }
                write!(out, "{text}")
            }
        }
        Command::Report { as_of, paper, out: target } => {
            let paper = match paper.to_ascii_lowercase().as_str() {
                "a4" => readyroom_core::pdf::Paper::A4,
                "letter" => readyroom_core::pdf::Paper::Letter,
                other => {
                    return Err(Error::new(
                        ErrorCode::Validation,
                        format!("Unknown paper {other:?}: use a4 or letter."),
                    ))
                }
            };
            let ws = open(cli.db, Access::ReadOnly)?;
            let date = readyroom_core::readiness::parse_as_of(as_of.as_deref().unwrap_or(""), ws.clock().today())
                .map_err(|_| Error::new(ErrorCode::Validation, "--as-of must be a date written as YYYY-MM-DD."))?;
            let bytes = ws.read(|c| readyroom_core::report::readiness_report(c, date, paper))?;
            write_output(&ws, &target, &bytes)?;
            Ok(())
        }
        Command::Encrypt => {
            let path = workspace_path(cli.db)?;
            let Some(passphrase) = new_passphrase(PASSPHRASE_VAR)? else {
                return Err(Error::new(
                    ErrorCode::KeyRequired,
                    format!("Set {PASSPHRASE_VAR} to the passphrase to encrypt with (or run on a terminal to be asked). Nothing was changed."),
                ));
            };
            let key = encryption::encrypt(&path, &passphrase)?;
            eprintln!("Encrypted {}; it now opens with the passphrase.", path.display());
            print_recovery_key(&key);
            Ok(())
        }
        Command::Passphrase => {
            let path = workspace_path(cli.db)?;
            let current = current_secret(&path, &format!("{NEW_PASSPHRASE_VAR} too. Nothing was changed"))?;
            let Some(new) = new_passphrase(NEW_PASSPHRASE_VAR)? else {
                return Err(Error::new(
                    ErrorCode::Validation,
                    format!("Set {NEW_PASSPHRASE_VAR} to the new passphrase (or run on a terminal to be asked). Nothing was changed."),
                ));
            };
            encryption::change_passphrase(&path, &current, &new)?;
            eprintln!("The passphrase of {} is changed; the recovery key is the same.", path.display());
            Ok(())
        }
        Command::Decrypt { out: target } => {
            let path = workspace_path(cli.db)?;
            let secret = current_secret(&path, "Nothing was written")?;
            let written = encryption::decrypt_copy(&path, &secret, &target)?;
            eprintln!("Wrote a plain copy to {}; keep it as safe as the workspace.", written.display());
            Ok(())
        }
        Command::Demo => {
            let ws = open(cli.db, Access::Create)?;
            let today = ws.clock().today();
            let name = ws.write(|tx, now| readyroom_core::demo::create(tx, now, today))?;
            writeln!(out, "Created the demo company {name:?} in {}.", ws.path().display())
        }
        Command::Archive { command } => {
            let s = match command {
                ArchiveCommand::Export { out: target, plain, encrypt } => {
                    let ws = open(cli.db, Access::ReadOnly)?;
                    let protected = if plain {
                        ws.protected().allowing_plain_copy()
                    } else if encrypt {
                        let Some(passphrase) = new_passphrase(ARCHIVE_PASSPHRASE_VAR)? else {
                            return Err(Error::new(
                                ErrorCode::KeyRequired,
                                format!("Set {ARCHIVE_PASSPHRASE_VAR} to the archive's passphrase."),
                            ));
                        };
                        ws.protected().sealing_with(&passphrase)?
                    } else {
                        ws.protected()
                    };
                    ws.read(|c| archive::export(c, &protected, &target, env!("CARGO_PKG_VERSION"), &mut |_, _| true))
                        .map_err(|e| match e.fields.first() {
                            Some(f) if f.field == "plain" => {
                                Error::new(e.code, f.message.replace(
                                    "Give it a passphrase of its own, or say that it may be written unencrypted.",
                                    "Pass --encrypt to give it a passphrase of its own, or --plain to write it unencrypted.",
                                ))
                            }
                            _ => e,
                        })?
                }
                ArchiveCommand::Import { file } => {
                    let path = resolve_path(
                        cli.db,
                        std::env::var(DB_ENV_VAR).ok(),
                        dirs::data_dir().map(|d| d.join(APP_IDENTIFIER)),
                    )?;
                    let passphrase = if archive::is_encrypted(&file)? {
                        match env_secret(ARCHIVE_PASSPHRASE_VAR) {
                            Some(p) => Some(p),
                            None => ask(&format!("Passphrase of {}: ", file.display()))?,
                        }
                    } else {
                        None
                    };
                    let s = archive::import_with(&file, &path, passphrase.as_deref(), &mut |_, _| true).map_err(
                        |e| match e.code {
                            ErrorCode::KeyRequired => {
                                Error::new(e.code, format!("{} Set {ARCHIVE_PASSPHRASE_VAR}.", e.message))
                            }
                            _ => e,
                        },
                    )?;
                    // The rebuilt workspace opens like any other (this also sets its journal mode).
                    // From an encrypted archive it is encrypted under the same passphrase.
                    match &passphrase {
                        Some(p) => {
                            open_with(path.clone(), Access::ReadWrite, None)?;
                            let recovery_key = readyroom_core::encryption::encrypt(&path, p)?;
                            print_recovery_key(&recovery_key);
                        }
                        None => drop(open(Some(path), Access::ReadWrite)?),
                    }
                    s
                }
            };
            writeln!(
                out,
                "{}: {} records in {} tables, {} evidence files ({} bytes), schema {}{}.",
                s.path,
                s.rows,
                s.tables,
                s.attachments,
                s.attachment_bytes,
                s.schema_version,
                if s.encrypted { ", encrypted archive" } else { "" }
            )
        }
        Command::Binder { command: Some(BinderCommand::Verify { file }), .. } => {
            let report = readyroom_core::binder::verify(&file)?;
            for (what, list) in [("missing", &report.missing), ("extra", &report.extra), ("changed", &report.changed)] {
                for path in list {
                    writeln!(out, "{what}: {path}").map_err(Error::from)?;
                }
            }
            if !report.ok() {
                let n = report.missing.len() + report.extra.len() + report.changed.len();
                return Err(Error::new(
                    ErrorCode::Validation,
                    format!(
                        "{} does not match its manifest: {n} entr{} missing, extra or changed.",
                        file.display(),
                        if n == 1 { "y" } else { "ies" }
                    ),
                ));
            }
            writeln!(out, "{}: all {} entries match the manifest.", file.display(), report.entries)
        }
        Command::Binder { command: None, from, to, out: target, allow_missing } => {
            let day = |flag: &str, text: Option<String>| -> Result<chrono::NaiveDate, Error> {
                let text =
                    text.ok_or_else(|| Error::new(ErrorCode::Validation, format!("Give --{flag} YYYY-MM-DD.")))?;
                chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| {
                    Error::new(ErrorCode::Validation, format!("--{flag} {text:?} is not a date written as YYYY-MM-DD."))
                })
            };
            let range = (day("from", from)?, day("to", to)?);
            let target = target.ok_or_else(|| Error::new(ErrorCode::Validation, "Give --out FILE.zip."))?;
            let ws = open(cli.db, Access::ReadOnly)?;
            let s = ws.read(|c| {
                readyroom_core::binder::export(
                    c,
                    &ws.protected(),
                    &target,
                    range,
                    env!("CARGO_PKG_VERSION"),
                    allow_missing,
                    &mut |_, _| true,
                )
            })?;
            if s.outside_window {
                eprintln!("readyroom: note: the range reaches outside the observation window.");
            }
            for path in &s.missing {
                eprintln!("readyroom: missing evidence file, listed in the binder: {path}");
            }
            writeln!(
                out,
                "{}: {} evidence files ({} bytes), {} populations, {} to {}.",
                s.path, s.evidence_files, s.evidence_bytes, s.populations, range.0, range.1
            )
        }
        Command::Heatmap { residual, json } => {
            let ws = open(cli.db, Access::ReadOnly)?;
            let view = if residual { risks::RatingView::Residual } else { risks::RatingView::Inherent };
            let map = ws.read(|c| heatmap::live(c, &heatmap::HeatmapQuery { view, ..Default::default() }))?;
            if json {
                writeln!(out, "{}", to_json(&map)?)
            } else {
                let mut text = format!("{:>16} |", if residual { "Residual" } else { "Inherent" });
                for label in scoring::IMPACT_LABELS {
                    text.push_str(&format!(" {label:^11}"));
                }
                text.push('\n');
                for row in &map.rows {
                    let l = row.first().map(|c| c.likelihood).unwrap_or(0);
                    text.push_str(&format!("{:>16} |", scoring::likelihood_label(l)));
                    for cell in row {
                        let n = cell.risks.len();
                        let count = if n == 0 { ".".to_owned() } else { n.to_string() };
                        text.push_str(&format!(" {:>4} {:<6}", count, cell.band.label()));
                    }
                    text.push('\n');
                }
                write!(out, "{text}")
            }
        }
    };
    match result {
        // A closed pipe (`readyroom criteria | head`) is not an error worth reporting.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(Error::from),
    }
}

/// Prints what an import did (or would do): every created record and every changed field,
/// then a summary. Refusals (bad rows, clearing without --allow-clearing) are errors.
fn print_import(
    out: &mut impl Write,
    file: &std::path::Path,
    register: Register,
    report: &csv_import::ImportReport,
) -> Result<(), Error> {
    if report.error_count > 0 {
        for e in &report.errors {
            let column = e.column.as_deref().map(|c| format!(", column {c}")).unwrap_or_default();
            eprintln!("{}: line {}{column}: {}", file.display(), e.line, e.message);
        }
        let more = report.error_count as usize - report.errors.len();
        if more > 0 {
            eprintln!("{}: … and {more} more problem(s).", file.display());
        }
        return Err(Error::new(
            ErrorCode::Validation,
            format!("{} rejected: {} problem(s); nothing was imported.", file.display(), report.error_count),
        ));
    }
    let io = |e: io::Error| Error::from(e);
    for change in &report.changes {
        match change.action {
            csv_import::RowAction::Created => writeln!(out, "+ {} (new)", change.key).map_err(io)?,
            csv_import::RowAction::Updated => {
                for f in &change.fields {
                    let shown = |v: &str| if v.is_empty() { "(empty)".to_owned() } else { v.replace('\n', " ") };
                    let mark = if f.cleared { "  [cleared]" } else { "" };
                    writeln!(out, "~ {} {}: {} → {}{mark}", change.key, f.column, shown(&f.old), shown(&f.new))
                        .map_err(io)?;
                }
            }
        }
    }
    let total = report.created + report.updated + report.unchanged;
    if report.clearing_refused {
        return Err(Error::new(
            ErrorCode::Validation,
            format!(
                "{} would clear {} stored value(s) with empty cells (marked [cleared] above); nothing was imported. Run again with --allow-clearing to clear them, or fill in the cells.",
                file.display(),
                report.cleared
            ),
        ));
    }
    let verb = if report.dry_run { "Would import" } else { "Imported" };
    let cleared = if report.cleared > 0 { format!(", {} value(s) cleared", report.cleared) } else { String::new() };
    writeln!(
        out,
        "{verb} {total} {}: {} created, {} updated, {} unchanged{cleared}.",
        register.as_str(),
        report.created,
        report.updated,
        report.unchanged
    )
    .map_err(io)
}

/// A register with a CSV file, by its key ("access_reviews" or "access-reviews").
fn parse_register(name: &str) -> Result<Register, Error> {
    Register::parse_cell(name).filter(|r| r.csv() != readyroom_core::refs::CsvSupport::None).ok_or_else(|| {
        let all: Vec<&str> = Register::with_csv().map(Register::as_str).collect();
        Error::new(ErrorCode::Validation, format!("Unknown register {name:?}; the registers are: {}.", all.join(", ")))
    })
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, Error> {
    serde_json::to_string_pretty(value).map_err(|e| Error::internal(format!("JSON encoding failed: {e}")))
}
